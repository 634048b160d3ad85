// The demo's configuration, written the pino way: the logger's options plus
// pino's `transport.targets`, each target a daslog transport running in
// pino's worker thread. `npm run demo` starts the local receivers and passes
// their addresses in DEMO_* variables; the defaults show what a deployment
// would put here.
const env = process.env
const dir = env.DEMO_DIR ?? 'logs'

export default {
  level: 'info',
  base: { service: 'shop-api' },

  // Development mode: pino-pretty on the console while the transports get JSON
  // (`pretty: true` prints one field per line; the demo keeps each record on one).
  pretty: { singleLine: true, ignore: ['pid', 'hostname', 'service'] },

  // The built-in processors, as data.
  sampling: { events: { cache_lookup_hit: 0.25 }, by: 'correlation_id' },
  masking: { keys: ['password', 'card_number'], patterns: ['email', 'card'] },
  batching: { events: ['item_process_*'], size: 5, intervalMs: 500 },

  transport: {
    targets: [
      // Sign-ins, payments and database trouble, one row each: the audit trail.
      {
        target: 'daslog/transports/csv',
        options: {
          path: `${dir}/audit.csv`,
          events: ['auth_*', 'payment_*', 'database_*'],
          columns: ['time', 'level', 'event', 'correlation_id', 'user_id', 'username', 'order_id', 'amount', 'reason', 'duration_ms', 'data'],
          deadLetter: `${dir}/csv.dead-letter.ndjson`
        }
      },
      // Payments and sign-ins to the team's webhook, signed (Standard Webhooks) and batched.
      {
        target: 'daslog/transports/webhook',
        options: {
          url: env.DEMO_WEBHOOK_URL ?? 'https://hooks.example.com/daslog',
          signingSecret: env.DEMO_WEBHOOK_SECRET,
          events: ['payment_*', 'auth_*'],
          batch: { size: 20, intervalMs: 200 },
          retry: { attempts: 4, minDelayMs: 100, maxDelayMs: 1_000 },
          deadLetter: `${dir}/webhook.dead-letter.ndjson`
        }
      },
      // Errors page the on-call engineer by email; a storm of one failure is one mail, then a digest.
      {
        target: 'daslog/transports/email',
        level: 'error',
        options: {
          smtp: { host: env.DEMO_SMTP_HOST ?? 'smtp.example.com', port: Number(env.DEMO_SMTP_PORT ?? 587) },
          from: 'shop-api alerts <alerts@shop.example>',
          to: ['oncall@shop.example'],
          throttle: { windowMs: 1_000 },
          templates: { 'payment_*': { subject: '[shop-api] payment {{order_id}} failed: {{reason}}' } },
          deadLetter: `${dir}/email.dead-letter.ndjson`
        }
      },
      // Fatal events wake someone up by SMS (a Twilio-shaped API).
      {
        target: 'daslog/transports/sms',
        level: 'fatal',
        options: {
          accountSid: env.DEMO_TWILIO_ACCOUNT_SID ?? 'AC00000000000000000000000000000000',
          authToken: env.DEMO_TWILIO_AUTH_TOKEN ?? 'set-me',
          baseUrl: env.DEMO_TWILIO_BASE_URL,
          from: '+15550001111',
          to: ['+15552223333'],
          throttle: { windowMs: 1_000 },
          deadLetter: `${dir}/sms.dead-letter.ndjson`
        }
      },
      // Payments and failures to an OpenTelemetry Collector as OTLP LogRecords (JSON here; protobuf by default).
      {
        target: 'daslog/transports/otlp',
        options: {
          url: env.DEMO_OTLP_URL ?? 'http://127.0.0.1:4318/v1/logs',
          protocol: 'http/json',
          resource: { 'service.name': 'shop-api' },
          events: ['payment_*', '*_failed'],
          batch: { size: 50, intervalMs: 200 },
          deadLetter: `${dir}/otlp.dead-letter.ndjson`
        }
      }
    ]
  }
}

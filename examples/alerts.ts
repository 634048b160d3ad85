// Alerts by email and SMS, throttled: npx tsx examples/alerts.ts
//
// Errors go by email, fatal events by SMS as well. During an incident the
// same failure repeats hundreds of times: `throttle` sends the first one at
// once, folds the rest of the window into one digest, and counts them all
// as delivered. The local inbox (a real SMTP server) and the Twilio-shaped
// endpoint of daslog/testing stand in for your mail relay and Twilio.
import { createLogger, Events } from 'daslog'
import { startSmsEndpoint, startSmtpInbox } from 'daslog/testing'

const accountSid = 'AC' + '0123456789abcdef'.repeat(2)
const authToken = 'example-token'
const inbox = await startSmtpInbox()
const sms = await startSmsEndpoint({ accountSid, authToken })

const log = createLogger({
  config: false,
  base: { service: 'payments' },
  transport: {
    targets: [
      {
        target: 'daslog/transports/email',
        level: 'error',
        options: {
          smtp: inbox.smtp,
          from: 'payments alerts <alerts@example.com>',
          to: ['oncall@example.com'],
          // One mail per event name (and per key fields) per window; the rest become a digest.
          throttle: { windowMs: 60_000 },
          templates: {
            'payment_*': { subject: 'Payment {{order_id}} failed: {{reason}}' },
            '*': { subject: '[{{level}}] {{event}} in {{service}}' }
          }
        }
      },
      {
        target: 'daslog/transports/sms',
        level: 'fatal',
        options: {
          accountSid, authToken, baseUrl: sms.baseUrl, from: '+15550001111', to: ['+15552223333', '+15554445555'],
          throttle: { windowMs: 60_000 },
          rateLimit: { count: 10, windowMs: 60_000 }
        }
      }
    ]
  }
})

// An incident: 200 identical gateway failures in a burst, and the database goes down 50 times.
for (let i = 1; i <= 200; i++) {
  log.bind(`c-${i}`).error(Events.PAYMENT_PROCESS_FAILED, { order_id: `ORD-${i}`, amount: 10, currency: 'EUR', reason: 'gateway_timeout', error_code: 'E_GATEWAY' })
}
for (let i = 1; i <= 50; i++) log.fatal(Events.DATABASE_CONNECTION_FAILED, { host: 'db-primary', error: 'ECONNREFUSED' })
log.warn(Events.DATABASE_QUERY_SLOW, { duration_ms: 2_400 }) // below error: no alert

// close() sends the digests of the windows still open, and resolves once everything is delivered.
await log.close()
await Promise.all([inbox.close(), sms.close()])

console.log(`# ${inbox.mails.length} mails for 250 alerts:`)
for (const mail of inbox.mails) console.log(`to ${mail.to.join(', ')}: ${mail.subject}`)
console.log(`# ${sms.messages.length} SMS for 50 fatal events:`)
for (const message of sms.messages) console.log(`${message.from} -> ${message.to}: ${message.body}`)
for (const s of log.stats()) console.log(`# ${s.transport}: accepted ${s.accepted}, delivered ${s.delivered}, dead-lettered ${s.deadLettered}, dropped ${s.dropped}`)

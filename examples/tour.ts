// npm run tour: daslog feature by feature with nothing but npm packages. Each step prints
// what it does, then the records daslog wrote for it, as the JSON lines pino writes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, Events, isDaslogError } from 'daslog'
import { createTestLogger } from 'daslog/testing'
import { run } from '../src/cli/run.js'
import { catalog as billingCatalog, Events as BillingEvents } from './billing/events.gen.js'
import { startSmsEndpoint, startSmtpInbox, startWebhookReceiver } from 'daslog/testing'

const say = (text: string): void => { process.stdout.write(process.stdout.isTTY ? `\n\x1b[1m== ${text}\x1b[0m\n` : `\n== ${text}\n`) }

// 1. A logger with the default catalog, writing one JSON line per event to stdout.
say('1. A typed event, and a bound correlation id (stdout, one pino line per event)')
const log = createLogger({ config: false, base: { service: 'checkout' } })
log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'user_123', duration_ms: 45 })
const request = log.bind('c-7f3a')
request.info(Events.API_REQUEST_STARTED, { endpoint: '/orders', method: 'POST', request_id: 'req_1' })
request.bind({ user_id: 'user_123' }).error(Events.PAYMENT_PROCESS_FAILED, {
  order_id: 'ORD-123', amount: 99.99, reason: 'insufficient_funds', err: new Error('card declined', { cause: new Error('issuer said no') })
})

say('2. Context for everything inside a unit of work (AsyncLocalStorage), and timed operations')
await log.withContext({ correlation_id: 'c-91b2', tenant: 'acme' }, async () => {
  log.timed('database_query', { table: 'orders', operation: 'SELECT' }, () => 'rows')
  await log.timed('api_call', { endpoint: 'https://payments.example/charge' }, () => new Promise((resolve) => setTimeout(resolve, 20)))
})

say('3. Levels: a disabled level costs one empty call')
log.level = 'warn'
log.info(Events.CACHE_LOOKUP_HIT, { key: 'user:123' })
log.warn(Events.DATABASE_QUERY_SLOW, { table: 'orders', duration_ms: 5000, rows_returned: 10000 })
log.level = 'info'

say('4. Bad input never throws: circular references, BigInt, a throwing getter')
const circular: Record<string, unknown> = { id: 1 }
circular.self = circular
log.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i-1', circular, big: 2n ** 64n, get broken (): string { throw new Error('nope') } })

say('5. Your own catalog (examples/billing/catalog.yaml): daslog generate keeps its typed module current')
run(['generate', 'examples/billing/catalog.yaml', '--out', 'examples/billing/events.gen.ts', '--check'], console.log, console.error)
const billing = createLogger({ catalog: billingCatalog, config: false })
billing.info(BillingEvents.BILLING_INVOICE_PAID, { invoice_id: 'in_1', amount: 12, payment_id: 'pay_9' })
await billing.timed('billing_sync', { provider: 'stripe' }, async () => 'synced')

say('6. A wrong option fails at setup with a DaslogError naming it')
try {
  createLogger({ config: false, levle: 'info' } as never)
} catch (error) {
  if (isDaslogError(error)) console.log(`${error.name} [${error.code}]: ${error.message}`)
}

say('7. Processors: sampling drops cache hits, masking hides secrets (bound context and errors too), batching groups items')
const guarded = createLogger({
  config: false,
  base: { service: 'checkout' },
  sampling: { events: { cache_lookup_hit: 0 } },
  masking: { paths: ['card_number'], keys: ['password'], patterns: ['email', 'card'] },
  batching: { events: ['item_process_*'], size: 3 }
})
guarded.info(Events.CACHE_LOOKUP_HIT, { key: 'user:123' })
const customer = guarded.bind({ correlation_id: 'c-5d1e', customer_email: 'alice@example.com' })
customer.info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'ORD-9', amount: 99.99, currency: 'EUR', card_number: '4111111111111111', password: 'hunter2' })
customer.error(Events.PAYMENT_PROCESS_FAILED, {
  order_id: 'ORD-9', amount: 99.99, reason: 'declined', err: new Error('card 4111 1111 1111 1111 declined for alice@example.com')
})
for (const item of ['i-1', 'i-2', 'i-3', 'i-4']) guarded.info(Events.ITEM_PROCESS_SUCCESS, { item_id: item })
await guarded.close()

say('8. Transports: a pino worker writes an audit CSV and an error CSV; close() waits until every row is on disk')
const logs = mkdtempSync(join(tmpdir(), 'daslog-tour-'))
const shop = createLogger({
  config: false,
  transport: {
    targets: [
      { target: 'daslog/transports/csv', options: { path: join(logs, 'audit.csv'), columns: 'audit' } },
      { target: 'daslog/transports/csv', level: 'error', options: { path: join(logs, 'errors.csv'), columns: ['time', 'level', 'event', 'correlation_id', 'reason', 'data'] } }
    ]
  }
})
// The files go when the tour ends, however it ends (after daslog's own exit flush, registered at createLogger).
process.on('exit', () => { rmSync(logs, { recursive: true, force: true }) })
const order = shop.bind('c-2a90')
order.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'user_123' })
order.info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'ORD-1', amount: 42.5, currency: 'EUR', transaction_id: 'tx_1' })
order.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'ORD-2', amount: 10, reason: '=HYPERLINK("http://evil.example")', error_code: 'E_CARD' })
await shop.close()
for (const file of ['audit.csv', 'errors.csv']) {
  const [header, ...rows] = readFileSync(join(logs, file), 'utf8').trimEnd().split('\r\n')
  console.log(`${file}: ${header!.split(',').slice(0, 8).join(',')}${header!.split(',').length > 8 ? ',...' : ''}`)
  for (const row of rows) console.log(`  ${row.length > 140 ? row.slice(0, 140) + '...' : row}`)
}
console.log('stats =', JSON.stringify(shop.stats().map(({ name, accepted, delivered, deadLettered }) => ({ name: name.replace(logs, '<dir>'), accepted, delivered, deadLettered }))))

say('9. Webhooks: signed batches to a local receiver that verifies every signature; its first answer is a 503, so daslog retries')
const secret = 'whsec_' + Buffer.from('demo secret, 32 bytes long......').toString('base64')
const receiver = await startWebhookReceiver({ signingSecret: secret, answers: [{ status: 503, headers: { 'retry-after': '0' } }] })
const hooked = createLogger({
  config: false,
  base: { service: 'checkout' },
  transport: {
    target: 'daslog/transports/webhook',
    options: {
      url: receiver.url, signingSecret: secret, events: ['payment_*', 'auth_*'], headers: 'X-Team=payments', extraArgs: 'source=demo',
      batch: { size: 10, intervalMs: 100 }, retry: { attempts: 3, minDelayMs: 50, maxDelayMs: 200 }, deadLetter: join(logs, 'webhook.dead-letter.ndjson')
    }
  }
})
const checkout = hooked.bind('c-4e11')
checkout.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'user_123' })
checkout.info(Events.CACHE_LOOKUP_HIT, { key: 'not sent: the events option takes payment_* and auth_*' })
checkout.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'ORD-3', amount: 10, currency: 'EUR', reason: 'declined', error_code: 'E_CARD' })
await hooked.close()
await receiver.close()
for (const refusal of receiver.refused) console.log(`refused: HTTP ${refusal.status} (${refusal.reason})`)
for (const delivery of receiver.deliveries) {
  console.log(`delivered ${delivery.id}, signature verified, ${delivery.records.length} records:`)
  for (const record of delivery.records) console.log(`  ${JSON.stringify({ ...record, time: undefined, pid: undefined, hostname: undefined })}`)
}
console.log('stats =', JSON.stringify(hooked.stats().map(({ name, accepted, delivered, retried, deadLettered }) => ({ name, accepted, delivered, retried, deadLettered }))))

say('10. Email alerts over SMTP (a local inbox): a storm of 50 identical failures is one alert, then one digest')
const inbox = await startSmtpInbox()
const alerting = createLogger({
  config: false,
  transport: {
    targets: [{
      target: 'daslog/transports/email',
      level: 'error',
      options: {
        smtp: inbox.smtp, from: 'daslog <alerts@example.com>', to: ['oncall@example.com'], bcc: 'audit@example.com',
        throttle: { windowMs: 300 }, templates: { 'payment_*': { subject: 'Payment {{order_id}} failed: {{reason}}' } },
        deadLetter: join(logs, 'email.dead-letter.ndjson')
      }
    }]
  }
})
alerting.info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'ORD-0', amount: 10, currency: 'EUR' })
for (let i = 1; i <= 50; i++) alerting.bind(`c-${i}`).error(Events.PAYMENT_PROCESS_FAILED, { order_id: `ORD-${i}`, amount: 10, currency: 'EUR', reason: 'gateway timeout', error_code: 'E_GW' })
alerting.error(Events.AUTH_LOGIN_FAILED, { username: 'alice', reason: 'locked out\r\nBcc: attacker@evil.example' })
await new Promise((resolve) => setTimeout(resolve, 600))
await alerting.close()
await inbox.close()
for (const mail of inbox.mails) console.log(`to ${mail.to.join(', ')}: ${mail.subject}`)
console.log('stats =', JSON.stringify(alerting.stats().map(({ name, accepted, delivered, deadLettered }) => ({ name, accepted, delivered, deadLettered }))))

say('11. SMS for fatal events through a Twilio-shaped local endpoint: a storm is one SMS and one summary, other alerts all go')
const accountSid = 'AC' + '0123456789abcdef'.repeat(2)
const sms = await startSmsEndpoint({ accountSid, authToken: 'demo-token' })
const paging = createLogger({
  config: false,
  transport: {
    targets: [{
      target: 'daslog/transports/sms',
      level: 'fatal',
      options: {
        accountSid, authToken: 'demo-token', from: '+15550001111', to: ['+15552223333'], baseUrl: sms.baseUrl,
        throttle: { windowMs: 300 }, deadLetter: join(logs, 'sms.dead-letter.ndjson')
      }
    }]
  }
})
for (let i = 0; i < 200; i++) paging.fatal(Events.DATABASE_CONNECTION_FAILED, { host: 'db-1', error: 'ECONNREFUSED' })
paging.bind('c-31').fatal(Events.PAYMENT_PROCESS_FAILED, { order_id: 'ORD-9', amount: 10, currency: 'EUR', reason: 'gateway down 💥', error_code: 'E_GW' })
paging.error(Events.CACHE_LOOKUP_MISS, { key: 'not paged: below fatal' })
await new Promise((resolve) => setTimeout(resolve, 600))
await paging.close()
await sms.close()
for (const message of sms.messages) console.log(`${message.from} -> ${message.to}: ${message.body}`)
console.log('stats =', JSON.stringify(paging.stats().map(({ name, accepted, delivered, deadLettered, segments }) => ({ name, accepted, delivered, deadLettered, segments }))))

say('12. In tests: createTestLogger() collects parsed records synchronously')
const { logger, records } = createTestLogger()
logger.bind('c-test').info(Events.AUTH_LOGOUT_SUCCESS, { user_id: 'user_123' })
console.log('records =', JSON.stringify(records.map(({ time: _time, pid: _pid, hostname: _host, ...rest }) => rest)))

say('13. The catalog as a product: a Markdown page, breaking changes, checks of untyped calls')
const page: string[] = []
run(['docs', '--catalog', 'examples/billing/catalog.yaml'], (text) => page.push(text), console.error)
console.log(page.join('\n').split('\n').filter((line) => line.startsWith('| `billing_invoice')).join('\n'))
const renamed = join(logs, 'catalog-next.yaml')
writeFileSync(renamed, readFileSync('examples/billing/catalog.yaml', 'utf8').replace('payment_id: string', 'payment_ref: string'))
run(['check', renamed, '--against', 'examples/billing/catalog.yaml'], console.log, console.log)
const checked = createTestLogger({ catalog: billingCatalog })   // validate: 'strict' by default in tests
;(checked.logger.info as (event: string, fields: object) => void)('billing_invoice_paid', { invoice_id: 'in_1', amount: '12' })
console.log('schema_errors =', JSON.stringify(checked.records[0]!.schema_errors))

await log.close()

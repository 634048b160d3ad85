// The webhook transport through a real pino.transport worker (the built package) to real HTTP servers on 127.0.0.1.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { createLogger, Events, TransportConfigError } from 'daslog'
import { startWebhookReceiver } from 'daslog/testing'
import { tempDir } from '../helpers.js'
import { readDeadLetters } from './helpers.js'

const secret = 'whsec_' + Buffer.alloc(32, 42).toString('base64')

t.test('records arrive whole, signed, with bound context, through a pino.config file', async (t) => {
  const receiver = await startWebhookReceiver()
  t.teardown(() => receiver.close())
  const dir = tempDir('webhook')
  const config = join(dir, 'pino.config.json')
  writeFileSync(config, JSON.stringify({
    base: { pid: 1, hostname: 'h' },
    transport: { targets: [{ target: 'daslog/transports/webhook', options: { url: receiver.url, headers: 'Api-Key=ABCD', extraArgs: 'source=moat', signingSecret: secret, deadLetter: join(dir, 'dead.ndjson') } }] }
  }))
  const log = createLogger({ config })
  const request = log.bind('corr-1')
  request.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1', method: 'password' })
  request.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o-1', amount: 12.5, currency: 'EUR', reason: 'declined', error_code: 'card_declined' })
  await log.close()
  t.equal(receiver.requests.length, 1, 'one batch')
  const [delivery] = receiver.requests
  t.equal(delivery!.headers['api-key'], 'ABCD')
  const records = new Webhook(secret).verify(delivery!.body, delivery!.headers as Record<string, string>) as Array<Record<string, unknown>>
  t.equal(records.length, 2)
  t.match(records[0], { level: 30, time: Number, pid: 1, hostname: 'h', event: 'auth_login_success', correlation_id: 'corr-1', user_id: 'u1', method: 'password', source: 'moat' })
  t.same(Object.keys(records[1]!).sort(), ['amount', 'correlation_id', 'currency', 'error_code', 'event', 'event_id', 'hostname', 'level', 'order_id', 'pid', 'reason', 'source', 'time'])
  t.match(records[1], { level: 50, event: 'payment_process_failed', correlation_id: 'corr-1', order_id: 'o-1', amount: 12.5, currency: 'EUR', reason: 'declined', error_code: 'card_declined' })
  t.match(log.stats(), [{ transport: 'webhook', name: `webhook ${receiver.url}`, accepted: 2, delivered: 2, deadLettered: 0, queued: 0 }])
})

t.test('10,000 records against a flaky receiver: every one delivered once or dead-lettered, none lost', async (t) => {
  // Every 7th request fails with 500 (retried), every 11th with 400 (dead-lettered at once).
  const receiver = await startWebhookReceiver({ answers: (_request, n) => ({ status: n % 11 === 10 ? 400 : n % 7 === 6 ? 500 : 200 }) })
  t.teardown(() => receiver.close())
  const deadLetter = join(tempDir('webhook'), 'dead.ndjson')
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/webhook', options: { url: receiver.url, deadLetter, batch: { size: 50, intervalMs: 10 }, retry: { attempts: 2, minDelayMs: 5, maxDelayMs: 20 }, circuitBreaker: false } }
  })
  const failures: number[] = []
  log.onDeliveryFailure((failure) => { failures.push(failure.count) })
  for (let i = 0; i < 10_000; i++) log.info(Events.API_REQUEST_COMPLETED, { endpoint: '/x', method: 'GET', request_id: `r${i}`, status_code: 200, duration_ms: i })
  await log.close()
  const delivered = receiver.records.map((record) => record.duration_ms as number)
  const dead = readDeadLetters(deadLetter).map((line) => (line.record as { duration_ms: number }).duration_ms)
  const [stats] = log.stats()
  t.equal(stats!.accepted, 10_000)
  t.equal(stats!.delivered, delivered.length, 'delivered as counted = records the receiver accepted')
  t.equal(stats!.deadLettered, dead.length)
  t.equal(stats!.delivered + stats!.deadLettered, 10_000, 'emitted = delivered + dead-lettered')
  t.equal(stats!.dropped + stats!.queued, 0)
  t.ok(dead.length > 0 && stats!.retried > 0, 'the receiver did fail some')
  t.equal(new Set(delivered).size, delivered.length, 'no record delivered twice')
  t.same([...delivered, ...dead].sort((a, b) => a - b), Array.from({ length: 10_000 }, (_, i) => i), 'every record exactly once')
  t.equal(failures.reduce((sum, count) => sum + count, 0), dead.length, 'every dead letter reported to the listener')
})

t.test('bad options fail createLogger with the transport, target and option named', async (t) => {
  const make = (options: Record<string, unknown>) => () => createLogger({ config: false, transport: { targets: [{ target: 'daslog/transports/webhook', options }] } })
  t.throws(make({}), new TransportConfigError('webhook', 'url', 'the URL to POST records to is required', { target: 'transport.targets[0]' }))
  t.throws(make({ url: 'http://127.0.0.1/x', signingSecret: 'secret' }), /Invalid option "signingSecret" of daslog\/transports\/webhook \(transport.targets\[0\]\): expected a Standard Webhooks secret/)
  t.throws(make({ url: 'http://127.0.0.1/x', headers: 'Api-Key' }), { name: 'TransportConfigError', option: 'headers' })
})

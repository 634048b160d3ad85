import { join } from 'node:path'
import { createServer } from 'node:net'
import t from 'tap'
import { Registry } from 'prom-client'
import { createLogger, Events } from 'daslog'
import { healthHandler, livezHandler, metricsHandler, readyzHandler, registerMetrics } from 'daslog/metrics'
import { startWebhookReceiver } from 'daslog/testing'
import { readLines, tempDir } from '../helpers.js'
import { eventually, getJson, samplesOf, scrape, serve } from './helpers.js'

const webhook = 'daslog/transports/webhook'

/** A port nothing listens on (taken, then released). */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('transport series: delivered equals what the receiver got, dead_lettered the dead-letter file lines', async (t) => {
  const good = await startWebhookReceiver()
  const refusing = await startWebhookReceiver({ answers: () => ({ status: 422 }) })
  t.teardown(() => Promise.all([good.close(), refusing.close()]))
  const dir = tempDir('metrics-transports')
  const deadLetter = join(dir, 'refused.ndjson')
  const log = createLogger({
    config: false,
    transport: {
      targets: [
        { target: webhook, options: { name: 'good', url: good.url, batch: { size: 10, intervalMs: 10 }, deadLetter: join(dir, 'good.ndjson') } },
        { target: webhook, options: { name: 'refusing', url: refusing.url, batch: { size: 10, intervalMs: 10 }, deadLetter } }
      ]
    }
  })
  log.onDeliveryFailure(() => {})
  const registry = new Registry()
  registerMetrics(log, { registry })
  const server = await serve({ '/metrics': metricsHandler(registry), '/healthz': healthHandler(log) })
  t.teardown(() => server.close())

  for (let i = 0; i < 25; i++) log.info(Events.API_REQUEST_COMPLETED, { endpoint: '/x', method: 'GET', request_id: `r${i}`, status_code: 200, duration_ms: i })
  const samples = await eventually('every record delivered or dead-lettered', async () => {
    const samples = await scrape(server.url)
    const settled = samples.get('daslog_transport_records_total{target="good",outcome="delivered"}') === 25 &&
      samples.get('daslog_transport_records_total{target="refusing",outcome="dead_lettered"}') === 25
    return settled ? samples : undefined
  })
  t.equal(good.records.length, 25, 'the receiver got what was counted delivered')
  t.equal(readLines(deadLetter).length, 25, 'the dead-letter file holds what was counted dead-lettered')
  t.same(samplesOf(samples, 'daslog_transport_records_total'), {
    '{target="good",outcome="delivered"}': 25,
    '{target="good",outcome="dead_lettered"}': 0,
    '{target="good",outcome="dropped"}': 0,
    '{target="refusing",outcome="delivered"}': 0,
    '{target="refusing",outcome="dead_lettered"}': 25,
    '{target="refusing",outcome="dropped"}': 0
  })
  t.same(samplesOf(samples, 'daslog_transport_retries_total'), { '{target="good"}': 0, '{target="refusing"}': 0 }, 'a 422 is not retried')
  t.same(samplesOf(samples, 'daslog_transport_queue_depth'), { '{target="good"}': 0, '{target="refusing"}': 0 })
  t.same(samplesOf(samples, 'daslog_transport_up'), { '{target="good"}': 1, '{target="refusing"}': 1 }, 'a 4xx says nothing about the connection')
  t.equal(samples.get('daslog_events_total{event="api_request_completed",level="info"}'), 25)
  const health = await getJson(`${server.url}/healthz`)
  t.same(health, { status: 200, body: { status: 'ok', transports: { good: { transport: 'webhook', queued: 0, status: 'up' }, refusing: { transport: 'webhook', queued: 0, status: 'up' } } } })
  await log.close()
})

t.test('an endpoint at a closed port: health 503 and transport_up 0 once the circuit opens; 200 and 1 once it answers', async (t) => {
  const port = await closedPort()
  const dir = tempDir('metrics-circuit')
  const log = createLogger({
    config: false,
    transport: {
      target: webhook,
      options: {
        name: 'alerts',
        url: `http://127.0.0.1:${port}/webhook`,
        batch: { size: 10, intervalMs: 10 },
        retry: { attempts: 100, minDelayMs: 20, maxDelayMs: 50 },
        circuitBreaker: { failures: 2, cooldownMs: 300 },
        deadLetter: join(dir, 'alerts.ndjson')
      }
    }
  })
  log.onDeliveryFailure(() => {})
  const registry = new Registry()
  registerMetrics(log, { registry })
  const server = await serve({
    '/metrics': metricsHandler(registry),
    '/healthz': healthHandler(log),
    '/livez': livezHandler(log),
    '/readyz': readyzHandler(log)
  })
  t.teardown(() => server.close())

  // The transport's first counters can reach this thread before the worker's ready message does (seen under load):
  // wait for both.
  const up = await eventually('the worker started', async () => {
    const health = await getJson(`${server.url}/healthz`)
    return health.body.transports.alerts === undefined || health.body.status === 'degraded' ? undefined : health
  })
  t.same(up, { status: 200, body: { status: 'ok', transports: { alerts: { transport: 'webhook', queued: 0, status: 'up' } } } }, 'before its first request the webhook is up: its circuit is closed')

  log.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o-1', amount: 5, currency: 'EUR', reason: 'r', error_code: 'e' })
  const down = await eventually('health 503', async () => {
    const health = await getJson(`${server.url}/healthz`)
    return health.status === 503 ? health : undefined
  }, 5_000)
  t.match(down.body, { status: 'down', transports: { alerts: { transport: 'webhook', status: 'down', queued: 1, error: /^circuit open: .*ECONNREFUSED.*127\.0\.0\.1/ } } })
  const samples = await scrape(server.url)
  t.equal(samples.get('daslog_transport_up{target="alerts"}'), 0)
  t.equal(samples.get('daslog_transport_queue_depth{target="alerts"}'), 1)
  t.ok(samples.get('daslog_transport_retries_total{target="alerts"}')! >= 1, 'retried before the circuit opened')
  t.equal((await getJson(`${server.url}/readyz`)).status, 503)
  t.same(await getJson(`${server.url}/livez`), { status: 200, body: { status: 'ok' } }, 'the worker still runs')

  const receiver = await startWebhookReceiver({ port })
  t.teardown(() => receiver.close())
  const back = await eventually('health 200 again', async () => {
    const health = await getJson(`${server.url}/healthz`)
    return health.status === 200 ? health : undefined
  }, 5_000)
  t.same(back.body, { status: 'ok', transports: { alerts: { transport: 'webhook', queued: 0, status: 'up' } } })
  const after = await eventually('delivered', async () => {
    const samples = await scrape(server.url)
    return samples.get('daslog_transport_records_total{target="alerts",outcome="delivered"}') === 1 ? samples : undefined
  })
  t.equal(after.get('daslog_transport_up{target="alerts"}'), 1)
  t.match(receiver.records, [{ event: 'payment_process_failed', order_id: 'o-1' }])
  t.equal((await getJson(`${server.url}/readyz`)).status, 200)

  await log.close()
  const closed = await getJson(`${server.url}/healthz`)
  t.same(closed, { status: 503, body: { status: 'down', transports: { alerts: { transport: 'webhook', queued: 0, status: 'closed' } }, error: 'the logger was closed' } })
  t.same(await getJson(`${server.url}/livez`), { status: 503, body: { status: 'down', error: 'the logger was closed' } })
  t.equal((await scrape(server.url)).get('daslog_transport_up{target="alerts"}'), 0)
})

t.test('a logger without a transport worker is healthy and has no transport series', async (t) => {
  const log = createLogger({ config: false, level: 'silent' })
  const registry = new Registry()
  registerMetrics(log, { registry })
  const server = await serve({ '/metrics': metricsHandler(registry), '/healthz': healthHandler(log), '/livez': livezHandler(log) })
  t.teardown(() => server.close())
  t.same(await getJson(`${server.url}/healthz`), { status: 200, body: { status: 'ok', transports: {} } })
  t.same(await getJson(`${server.url}/livez`), { status: 200, body: { status: 'ok' } })
  t.same(samplesOf(await scrape(server.url), 'daslog_transport_up'), {})
  t.throws(() => healthHandler(log, { critical: 'alerts' } as never), { name: 'ConfigError', option: 'healthHandler options.critical' })
})

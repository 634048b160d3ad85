// A worker that is gone reaches health and metrics: the application thread hears its exit.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { Registry } from 'prom-client'
import { createLogger, Events } from 'daslog'
import { healthHandler, livezHandler, metricsHandler, registerMetrics } from 'daslog/metrics'
import { tempDir } from '../helpers.js'
import { eventually, getJson, scrape, serve } from './helpers.js'

const dying = fileURLToPath(new URL('../reliability/fixtures/dying-transport.mjs', import.meta.url))

t.test('the transport worker exits: health 503 naming every target and why, livez 503, transport_up 0', async (t) => {
  const dir = tempDir('metrics-worker-gone')
  const log = createLogger({
    config: false,
    deadLetter: join(dir, 'worker.ndjson'),
    transport: { targets: [{ target: 'daslog/transports/csv', options: { name: 'audit', path: join(dir, 'out.csv'), deadLetter: join(dir, 'csv.ndjson') } }, { target: dying }] }
  })
  log.onDeliveryFailure(() => {})
  const registry = new Registry()
  registerMetrics(log, { registry })
  const server = await serve({ '/metrics': metricsHandler(registry), '/healthz': healthHandler(log), '/livez': livezHandler(log) })
  t.teardown(() => server.close())
  await log.flush()
  t.equal((await getJson(`${server.url}/healthz`)).status, 200)
  t.equal((await scrape(server.url)).get('daslog_transport_up{target="audit"}'), 1)

  log.info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'o-1', amount: 1, currency: 'EUR', transaction_id: 't', boom: true } as never)
  const health = await eventually('health 503', async () => {
    const health = await getJson(`${server.url}/healthz`)
    return health.status === 503 ? health : undefined
  }, 5_000)
  t.match(health.body, { status: 'down', error: /^the transport worker exited/, transports: { audit: { transport: 'csv', status: 'down', error: /^the transport worker exited/ } } })
  t.match(await getJson(`${server.url}/livez`), { status: 503, body: { status: 'down', error: /^the transport worker exited/ } })
  t.equal((await scrape(server.url)).get('daslog_transport_up{target="audit"}'), 0)
  await log.close()
})

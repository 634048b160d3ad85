import t from 'tap'
import { Registry } from 'prom-client'
import { createLogger, Events, sampling, type Processor } from 'daslog'
import { metricsHandler, registerMetrics } from 'daslog/metrics'
import { textSink } from '../helpers.js'
import { samplesOf, scrape, serve } from './helpers.js'

t.test('events_total counts the records written by event and level; events_dropped_total why the others were not', async (t) => {
  const sink = textSink()
  const failing: Processor = (record) => {
    if (record.event === Events.PAYMENT_PROCESS_FAILED) throw new Error('boom')
    return record
  }
  const filtering: Processor = (record) => record.event === Events.AUTH_LOGOUT_SUCCESS ? null : record
  const log = createLogger({
    config: false,
    level: 'info',
    processors: [
      sampling({ events: { 'cache_*': 0 }, rateLimit: { perEvent: 2, intervalMs: 60_000, events: ['api_request_completed'] } }),
      failing,
      filtering
    ]
  }, sink.stream)
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'before registering', method: 'password' })
  const registry = new Registry()
  registerMetrics(log, { registry })
  const server = await serve({ '/metrics': metricsHandler(registry) })
  t.teardown(() => server.close())

  const request = log.bind('corr-1')
  for (let i = 0; i < 3; i++) request.info(Events.AUTH_LOGIN_SUCCESS, { user_id: `u${i}`, method: 'password' })
  for (let i = 0; i < 2; i++) log.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'bad password' })
  log.debug(Events.AUTH_LOGIN_STARTED, { username: 'u' }) // a disabled level: neither written nor dropped
  for (let i = 0; i < 4; i++) log.info(Events.CACHE_LOOKUP_HIT, { key: `k${i}` }) // sampled out
  for (let i = 0; i < 5; i++) log.info(Events.API_REQUEST_COMPLETED, { endpoint: '/x', method: 'GET', request_id: `r${i}`, status_code: 200, duration_ms: 1 }) // 2 pass, 3 rate-limited
  log.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o', amount: 1, currency: 'EUR', reason: 'r', error_code: 'e' }) // the processor throws
  log.info(Events.AUTH_LOGOUT_SUCCESS, { user_id: 'u' }) // filtered
  const untyped = log as unknown as { info: (event: string, fields?: object) => void, error: (event: string, fields?: object) => void }
  untyped.info('not_in_the_catalog', { a: 1 })
  untyped.error('another_unknown_event')

  const samples = await scrape(server.url)
  t.same(samplesOf(samples, 'daslog_events_total'), {
    '{event="auth_login_success",level="info"}': 3,
    '{event="auth_login_failed",level="warn"}': 2,
    '{event="api_request_completed",level="info"}': 2,
    '{event="other",level="info"}': 1,
    '{event="other",level="error"}': 1
  })
  t.same(samplesOf(samples, 'daslog_events_dropped_total'), {
    '{reason="sampled"}': 4,
    '{reason="rate_limited"}': 3,
    '{reason="processor_failure"}': 1,
    '{reason="filtered"}': 1
  })
  const written = sink.lines().map((line) => JSON.parse(line) as { event: string })
  t.equal(written.length, 1 + 3 + 2 + 2 + 2, 'the records written: the counted ones and the one before registering')
  const counted = Object.values(samplesOf(samples, 'daslog_events_total')).reduce((sum, n) => sum + n, 0)
  t.equal(counted, written.length - 1, 'events_total adds up to the lines written since registerMetrics')

  // A second scrape reads the totals again: more records, higher counts, never doubled.
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u9', method: 'password' })
  const again = await scrape(server.url)
  t.equal(again.get('daslog_events_total{event="auth_login_success",level="info"}'), 4)
  t.equal(again.get('daslog_events_dropped_total{reason="sampled"}'), 4)
})

t.test('a prefix, several loggers in one registry, and bad options named', async (t) => {
  const registry = new Registry()
  const first = createLogger({ config: false }, textSink().stream)
  const second = createLogger({ config: false }, textSink().stream)
  registerMetrics(first, { registry, prefix: 'shop_' })
  const handle = registerMetrics(second, { registry, prefix: 'shop_' })
  first.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u', method: 'm' })
  second.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u', method: 'm' })
  const server = await serve({ '/metrics': metricsHandler(registry) })
  t.teardown(() => server.close())
  t.equal((await scrape(server.url)).get('shop_events_total{event="auth_login_success",level="info"}'), 2)
  handle.unregister()
  t.equal((await scrape(server.url)).get('shop_events_total{event="auth_login_success",level="info"}'), 1, 'an unregistered logger no longer reports')

  t.throws(() => registerMetrics(first, { registry, prefix: 'bad prefix' }), { name: 'ConfigError', option: 'registerMetrics options.prefix' })
  t.throws(() => registerMetrics(first, { registry: {} as Registry }), { name: 'ConfigError', option: 'registerMetrics options.registry' })
  t.throws(() => registerMetrics(first, { registry, colour: 1 } as never), { name: 'ConfigError', option: 'registerMetrics options.colour' })
  t.throws(() => registerMetrics({} as never), /logger: expected a daslog logger/)
})

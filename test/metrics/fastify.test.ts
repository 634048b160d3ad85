import t from 'tap'
import Fastify from 'fastify'
import { Registry } from 'prom-client'
import { createLogger, Events } from 'daslog'
import { daslogMetricsPlugin, registerMetrics } from 'daslog/metrics'
import { textSink } from '../helpers.js'
import { parseExposition } from './helpers.js'

t.test('the Fastify plugin serves /metrics, /healthz, /livez and /readyz', async (t) => {
  const log = createLogger({ config: false }, textSink().stream)
  const registry = new Registry()
  registerMetrics(log, { registry })
  log.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  const app = Fastify()
  await app.register(daslogMetricsPlugin, { logger: log, registry })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())

  const metrics = await fetch(`${address}/metrics`)
  t.equal(metrics.status, 200)
  t.match(metrics.headers.get('content-type'), /^text\/plain; version=0\.0\.4/)
  t.same([...parseExposition(await metrics.text())].filter(([key]) => key.startsWith('daslog_events_total')), [['daslog_events_total{event="auth_login_failed",level="warn"}', 1]])
  for (const path of ['/healthz', '/readyz', '/livez']) {
    const response = await fetch(`${address}${path}`)
    t.equal(response.status, 200, path)
    t.match(await response.json(), { status: 'ok' }, path)
  }
})

// Prometheus metrics and health checks in an Express app: npx tsx examples/metrics-express.ts
//
// registerMetrics counts what the logger writes and drops, and reads the
// transport worker's counters when /metrics is scraped; /healthz answers 503
// when a target is down, /livez and /readyz serve Kubernetes probes. The
// webhook target here is a local receiver (daslog/testing), so the example
// needs nothing else running. prom-client is an optional peer: npm install prom-client.
import type { AddressInfo } from 'node:net'
import express from 'express'
import { Registry } from 'prom-client'
import { createLogger, Events } from 'daslog'
import { healthHandler, livezHandler, metricsHandler, readyzHandler, registerMetrics } from 'daslog/metrics'
import { startWebhookReceiver } from 'daslog/testing'

const receiver = await startWebhookReceiver()
const log = createLogger({
  config: false,
  transport: { target: 'daslog/transports/webhook', options: { name: 'audit-webhook', url: receiver.url, batch: { size: 10, intervalMs: 50 } } }
})
const registry = new Registry()
registerMetrics(log, { registry })

const app = express()
app.get('/metrics', metricsHandler(registry))
app.get('/healthz', healthHandler(log))
app.get('/livez', livezHandler(log))
app.get('/readyz', readyzHandler(log))
app.post('/orders/:id', (req, res) => {
  log.info(Events.ORDER_CREATE_SUCCESS, { order_id: req.params.id, customer_id: 'c-1', total_amount: 42, currency: 'EUR', items_count: 1, order_status: 'created' })
  res.status(201).json({ order_id: req.params.id })
})
const server = app.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

for (const id of ['ORD-1', 'ORD-2', 'ORD-3']) await fetch(`${base}/orders/${id}`, { method: 'POST' })

// The worker reports its counters within 250 ms of a change; scrape until the three records are delivered.
let metrics = ''
for (let tries = 0; tries < 100 && !/outcome="delivered"\} 3$/m.test(metrics); tries++) {
  await new Promise((resolve) => setTimeout(resolve, 50))
  metrics = await (await fetch(`${base}/metrics`)).text()
}
console.log('GET /metrics (daslog series):')
for (const line of metrics.split('\n')) if (line.startsWith('daslog_') && !line.endsWith(' 0')) console.log(`  ${line}`)
for (const path of ['/healthz', '/livez', '/readyz']) {
  const response = await fetch(`${base}${path}`)
  console.log(`GET ${path}: ${response.status} ${await response.text()}`)
}
console.log(`the receiver got ${receiver.records.length} records`)

await log.close()
const closed = await fetch(`${base}/healthz`)
console.log(`after close(): GET /healthz: ${closed.status} ${await closed.text()}`)
server.close()
await receiver.close()

// `daslog serve --amqp url --queue q` against the real local RabbitMQ and
// PostgreSQL: what the amqp transport published is stored and found over
// HTTP, and /healthz says 503 with the reason while the broker is away.
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from '../../src/index.js'
import { amqpSource } from '../../src/serve/amqp-source.js'
import { serveOptions } from '../../src/serve/options.js'
import { startCollector } from '../../src/serve/server.js'
import { freshDatabase } from '../store/helpers.js'
import { tempDir } from '../helpers.js'
import { brokerUrl, freshNames } from '../transports/amqp-broker.js'

const db = await freshDatabase(t)
const auth = { authorization: 'Bearer t' }

async function until (done: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await done()) && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 100))
}

t.test('the queue is consumed into the store: every published record found once over HTTP, health ok', async (t) => {
  const { exchange, queue } = freshNames(t)
  const log = createLogger({
    config: false,
    base: { service: 'shop' },
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, queue, deadLetter: join(tempDir('serve-amqp'), 'dead.ndjson') } }
  })
  for (let i = 0; i < 300; i++) log.bind(`c-${i}`).info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: `o-${i}`, amount: i, currency: 'EUR', transaction_id: `t-${i}` })
  await log.close()
  t.match(log.stats(), [{ transport: 'amqp', delivered: 300, deadLettered: 0 }])

  const collector = await startCollector(serveOptions({ port: '0', db, table: 'from_amqp', token: ['t'], amqp: brokerUrl, queue, prefetch: '50' }, {}), { sources: [amqpSource] })
  t.teardown(() => collector.close())
  await collector.ready
  const count = async (): Promise<number> => {
    const answer = await fetch(`${collector.url}/events?event=payment_process_success&limit=1000`, { headers: auth })
    return ((await answer.json()) as { events: unknown[] }).events.length
  }
  await until(async () => (await count()) >= 300)
  t.equal(await count(), 300, 'each record stored once')
  const found = await fetch(`${collector.url}/events?correlation_id=c-7`, { headers: auth })
  t.match(await found.json(), { events: [{ event: 'payment_process_success', correlation_id: 'c-7', service: 'shop', order_id: 'o-7', amount: 7 }], next: null })
  const health = await fetch(`${collector.url}/healthz`)
  t.equal(health.status, 200)
  t.same(await health.json(), { status: 'ok' })
})

t.test('/healthz answers 503 naming the broker while it cannot be reached; the HTTP side keeps working', async (t) => {
  const collector = await startCollector(serveOptions({ port: '0', db, table: 'no_broker', token: ['t'], amqp: 'amqp://guest:guest@127.0.0.1:1', queue: 'nowhere' }, {}), { sources: [amqpSource] })
  t.teardown(() => collector.close())
  await collector.ready
  const health = await fetch(`${collector.url}/healthz`)
  t.equal(health.status, 503)
  t.match(await health.json(), { status: 'unavailable', reason: /broker is unreachable/ })
  const posted = await fetch(`${collector.url}/events`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ event: 'order_place_success', order_id: 'o-1' }) })
  t.equal(posted.status, 201)
})

// `daslog serve --amqp url --queue q` against the real local RabbitMQ and
// PostgreSQL: what the amqp transport published is stored and found over
// HTTP, and /healthz says 503 with the reason while the broker is away.
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from '../../src/index.js'
import { amqpSource } from '../../src/serve/amqp-source.js'
import { serveOptions } from '../../src/serve/options.js'
import { startCollector } from '../../src/serve/server.js'
import { freshDatabase, sql } from '../store/helpers.js'
import { tempDir } from '../helpers.js'
import { brokerUrl, declareBoundQueue, freshNames } from '../transports/amqp-broker.js'
import { daslog } from './helpers.js'

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

t.test('--chain: two collectors consuming one queue store its records into one gap-free chain that verifies', async (t) => {
  const { exchange, queue } = freshNames(t)
  await declareBoundQueue(exchange, queue)
  const collectors = await Promise.all([1, 2].map(async () => {
    const collector = await startCollector(serveOptions({ port: '0', db, table: 'chained_amqp', token: ['t'], amqp: brokerUrl, queue, prefetch: '20', chain: true }, {}), { sources: [amqpSource] })
    t.teardown(() => collector.close())
    await collector.ready
    await until(async () => (await fetch(`${collector.url}/healthz`)).status === 200)
    return collector
  }))
  const log = createLogger({
    config: false,
    base: { service: 'shop' },
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, queue, deadLetter: join(tempDir('serve-amqp'), 'dead.ndjson') } }
  })
  for (let i = 0; i < 400; i++) log.bind(`c-${i}`).info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: `o-${i}`, amount: i + 0.25, currency: 'EUR', transaction_id: `t-${i}` })
  await log.close()
  const stored = async (): Promise<number> => (await sql<{ n: number }>(db, 'SELECT count(*)::int AS n FROM chained_amqp'))[0]!.n
  await until(async () => (await stored()) >= 400)
  t.same(await sql(db, "SELECT count(*)::int AS rows, count(DISTINCT seq)::int AS seqs, min(seq)::int AS min, max(seq)::int AS max, count(*) FILTER (WHERE chain_key = 'default' AND hash IS NOT NULL)::int AS chained FROM chained_amqp"),
    [{ rows: 400, seqs: 400, min: 1, max: 400, chained: 400 }], 'every record once, seq 1..400, all chained')
  const accepted = await Promise.all(collectors.map(async (collector) => Number(/daslog_serve_events_accepted_total (\d+)/.exec(await (await fetch(`${collector.url}/metrics`)).text())![1])))
  t.equal(accepted[0]! + accepted[1]!, 400)
  t.ok(accepted.every((n) => n > 0), `both collectors stored some (${accepted.join(' and ')})`)

  for (const collector of collectors) {
    const verified = await daslog('verify', '--server', collector.url, '--token', 't')
    t.equal(verified.code, 0, verified.err.join('\n'))
    t.match(verified.out, [/^daslog verify: 400 row\(s\) verified in chain "default" of chained_amqp, head 400:[0-9a-f]{64}$/])
    t.same(await daslog('verify', '--db', db, '--table', 'chained_amqp'), verified, 'as on the database')
  }
  await sql(db, "UPDATE chained_amqp SET data = data || '{\"amount\": 1000}' WHERE seq = 123")
  const [edited] = await sql<{ id: string }>(db, 'SELECT event_id::text AS id FROM chained_amqp WHERE seq = 123')
  const broken = await daslog('verify', '--server', collectors[1]!.url, '--token', 't')
  t.equal(broken.code, 1)
  t.match(broken.err, [`broken at event ${edited!.id} (seq 123): hash does not match the row`])
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

// consumeIntoStore against the real local RabbitMQ and PostgreSQL: records
// published by the amqp transport become rows, once each, with two consumers
// sharing the queue; what is not a record is rejected to the queue's
// dead-letter exchange and counted; a redelivered record is not stored twice.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from '../../src/index.js'
import { openStore } from '../../src/store/index.js'
import { consumeIntoStore, recordOf, type AmqpConsumer } from '../../src/serve/amqp-consumer.js'
import { freshDatabase, sql } from '../store/helpers.js'
import { readLines, tempDir } from '../helpers.js'
import { brokerUrl, declareBoundQueue, freshNames, publishRaw, outageWhileLogging, restartsBroker, takeMessages } from '../transports/amqp-broker.js'

const url = await freshDatabase(t)

/** The broker's count of a queue's messages handed out and not acked yet (rabbitmqctl). */
async function queueCounts (queue: string): Promise<Array<{ unacked: number }>> {
  const { stdout } = await promisify(execFile)('rabbitmqctl', ['list_queues', '--quiet', '--no-table-headers', 'name', 'messages_unacknowledged'])
  return stdout.split('\n').map((line) => line.trim().split(/\s+/)).filter(([name]) => name === queue).map(([, unacked]) => ({ unacked: Number(unacked) }))
}

/** Waits until `done()` or `ms` passed. */
async function until (done: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50))
}

async function publish (exchange: string, queue: string, count: number, from = 0): Promise<void> {
  const log = createLogger({
    config: false,
    base: { pid: 1, hostname: 'h', service: 'shop' },
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, queue, deadLetter: join(tempDir('amqp'), 'dead.ndjson') } }
  })
  for (let i = from; i < from + count; i++) log.bind(`c-${i}`).info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: `o-${i}`, amount: i, currency: 'EUR', transaction_id: `t-${i}` })
  await log.close()
}

t.test('records published by the transport become rows, in the shape they were logged; acked once stored', async (t) => {
  const { exchange, queue } = freshNames(t)
  const store = await openStore(url, { table: 'shape' })
  await store.migrate()
  t.teardown(() => store.close())
  await publish(exchange, queue, 2_000)
  const consumer = consumeIntoStore(store, { url: brokerUrl, queue, prefetch: 200 })
  await until(() => consumer.stats().stored >= 2_000)
  t.match(consumer.stats(), { connected: true, received: 2_000, stored: 2_000, duplicates: 0, rejected: 0 })
  await consumer.close()
  t.equal(consumer.stats().connected, false)
  const { events } = await store.query({ correlationId: 'c-7' })
  t.equal(events.length, 1)
  const { event_id: id, time, ...rest } = events[0]!
  t.match(id, /^[0-9a-f-]{36}$/)
  t.equal(typeof time, 'string')
  t.same(rest, { level: 30, event: 'payment_process_success', correlation_id: 'c-7', service: 'shop', pid: 1, hostname: 'h', order_id: 'o-7', amount: 7, currency: 'EUR', transaction_id: 't-7' })
  t.same(await takeMessages(queue, 1, 500), [], 'the queue is empty: every message acked')
})

t.test('two consumers on one queue into one store: each record stored once, the work shared', async (t) => {
  const { exchange, queue } = freshNames(t)
  const store = await openStore(url, { table: 'shared' })
  await store.migrate()
  t.teardown(() => store.close())
  const consumers: AmqpConsumer[] = [0, 1].map(() => consumeIntoStore(store, { url: brokerUrl, queue, prefetch: 100 }))
  // The queue does not exist until the transport declares it: the consumers wait for it.
  await publish(exchange, queue, 10_000)
  const stored = (): number => consumers.reduce((sum, c) => sum + c.stats().stored, 0)
  await until(() => stored() >= 10_000)
  const [a, b] = consumers.map((c) => c.stats())
  await Promise.all(consumers.map((c) => c.close()))
  t.equal(stored(), 10_000)
  t.ok(a!.stored > 0 && b!.stored > 0, `both consumers stored records (${a!.stored} and ${b!.stored})`)
  const [counts] = await sql<{ rows: number, orders: number }>(url, "SELECT count(*)::int AS rows, count(DISTINCT data->>'order_id')::int AS orders FROM shared")
  t.same(counts, { rows: 10_000, orders: 10_000 }, 'rows = records, none twice')
})

t.test(`end to end with a broker outage mid-stream (${restartsBroker ? 'stop_app, start_app' : 'the broker closes our connections'}): every record stored once or dead-lettered, none lost`, async (t) => {
  const { exchange, queue } = freshNames(t)
  const deadLetter = join(tempDir('amqp'), 'dead.ndjson')
  const store = await openStore(url, { table: 'outage' })
  await store.migrate()
  t.teardown(() => store.close())
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, queue, closeTimeoutMs: 9_000, deadLetter } }
  })
  const consumer = consumeIntoStore(store, { url: brokerUrl, queue, prefetch: 200 })
  let total = 0
  const logSome = (n: number): void => { for (const end = total + n; total < end; total++) log.info(Events.CACHE_LOOKUP_MISS, { key: `k-${total}`, i: total } as never) }
  logSome(2_000)
  await until(() => consumer.stats().stored > 0)
  const { what, sawDown } = await outageWhileLogging(exchange, logSome, () => !consumer.stats().connected)
  logSome(1_000)
  await log.close()
  const [stats] = log.stats()
  await until(() => consumer.stats().stored >= stats!.delivered)
  await consumer.close()
  t.ok(restartsBroker ? sawDown : /connections [1-9]\d* times/.test(what), `${what}; the consumer saw it away: ${sawDown}`)
  const [counts] = await sql<{ rows: number, records: number }>(url, "SELECT count(*)::int AS rows, count(DISTINCT data->>'i')::int AS records FROM outage")
  t.equal(counts!.rows, counts!.records, 'no record stored twice')
  const stored = new Set((await sql<{ i: string }>(url, "SELECT data->>'i' AS i FROM outage")).map((row) => Number(row.i)))
  const dead = new Set((existsSync(deadLetter) ? readLines(deadLetter) : []).map((entry) => (entry.record as { i: number }).i))
  const lost = Array.from({ length: total }, (_, i) => i).filter((i) => !stored.has(i) && !dead.has(i))
  t.same(lost, [], `none lost: ${stored.size} stored, ${dead.size} dead-lettered, ${consumer.stats().duplicates} redelivered and not stored again`)
})

t.test('an insert that fails is tried again while its messages stay unacked; nothing is acked before it committed', async (t) => {
  const { exchange, queue } = freshNames(t)
  const store = await openStore(url, { table: 'away' })
  await store.migrate()
  t.teardown(() => store.close())
  await publish(exchange, queue, 300)
  // The table is away (renamed): every insert fails until it is back.
  await sql(url, 'ALTER TABLE away RENAME TO away_hidden')
  const consumer = consumeIntoStore(store, { url: brokerUrl, queue, prefetch: 100 })
  await until(() => consumer.stats().insertRetries >= 2)
  t.match(consumer.stats(), { received: 100, stored: 0, lastError: /inserting \d+ records failed: .*relation "away" does not exist/ }, 'prefetch 100: no more messages come while none is acked')
  t.same(await queueCounts(queue), [{ unacked: 100 }], 'the broker holds those 100 as unacked')
  await sql(url, 'ALTER TABLE away_hidden RENAME TO away')
  await until(() => consumer.stats().stored >= 300)
  await consumer.close()
  t.match(consumer.stats(), { received: 300, stored: 300, duplicates: 0 })
  t.same(await sql(url, 'SELECT count(*)::int AS n FROM away'), [{ n: 300 }])
})

t.test('a message that is not a record is rejected to the queue\'s dead-letter exchange and counted; a redelivered record is stored once', async (t) => {
  const { exchange, queue, more } = freshNames(t)
  const dlx = more('dlx')
  const rejectedQueue = more('rejected')
  await declareBoundQueue(dlx, rejectedQueue)
  await declareBoundQueue(exchange, queue, '#', { 'x-dead-letter-exchange': dlx })
  const store = await openStore(url, { table: 'rejects' })
  await store.migrate()
  t.teardown(() => store.close())
  const id = '01900000-0000-7000-8000-000000000001'
  await publishRaw(queue, [
    { body: 'not json' },
    { body: JSON.stringify([1, 2]) },
    { body: JSON.stringify({ event: 'Not An Event', event_id: id }) },
    { body: JSON.stringify({ event: 'order_create_success' }) },
    { body: JSON.stringify({ event: 'order_create_success', order_id: 'o-1' }), messageId: id },
    { body: JSON.stringify({ event: 'order_create_success', order_id: 'o-1', event_id: id }) }
  ])
  const consumer = consumeIntoStore(store, { url: brokerUrl, queue })
  await until(() => consumer.stats().received >= 6 && consumer.stats().stored + consumer.stats().duplicates >= 2)
  await consumer.close()
  t.match(consumer.stats(), { received: 6, stored: 1, duplicates: 1, rejected: 4 })
  const rejected = await takeMessages(rejectedQueue, 4)
  t.same(rejected.map((m) => Buffer.isBuffer(m.body) ? m.body.toString() : JSON.stringify(m.body)).sort(), [
    'not json',
    JSON.stringify([1, 2]),
    JSON.stringify({ event: 'Not An Event', event_id: id }),
    JSON.stringify({ event: 'order_create_success' })
  ].sort(), 'the rejected messages, in the dead-letter queue as they were')
  const rows = await sql(url, 'SELECT event_id::text AS id, event, data FROM rejects')
  t.same(rows, [{ id, event: 'order_create_success', data: { order_id: 'o-1' } }])
})

t.test('bad options throw at once, naming the option', async (t) => {
  const store = await openStore(url, { table: 'unused' })
  t.teardown(() => store.close())
  t.throws(() => consumeIntoStore(store, { url: 'http://x', queue: 'q' }), { option: 'url' } as never)
  t.throws(() => consumeIntoStore(store, { url: brokerUrl } as never), { option: 'queue', message: /required/ })
  t.throws(() => consumeIntoStore(store, { url: brokerUrl, queue: 'q', prefetch: 0 }), { option: 'prefetch' } as never)
  t.throws(() => consumeIntoStore(store, { url: brokerUrl, queue: 'q', prefech: 5 } as never), { message: /prefech/ })
})

t.test('recordOf: a record from the body, its event_id from the body or messageId', async (t) => {
  const id = '01900000-0000-7000-8000-000000000002'
  t.same(recordOf({ body: { event: 'a_b', event_id: id } }), { event: 'a_b', event_id: id })
  t.same(recordOf({ body: Buffer.from('{"event":"a_b"}'), messageId: id }), { event: 'a_b', event_id: id })
  t.equal(recordOf({ body: { event: 'a_b', event_id: 'nope' }, messageId: id }), undefined, 'a body\'s own id must be a UUID')
  t.equal(recordOf({ body: { event: 'a_b' } }), undefined)
  t.equal(recordOf({ body: 'text', messageId: id }), undefined)
})

// The shared transport runtime, in-process: queue, retries, dead letters, counters, close.
import { join } from 'node:path'
import t from 'tap'
import { DeliveryError } from '../../transports/shared/retry.js'
import { transportControl, type LogRecord } from '../../transports/shared/runtime.js'
import { tempDir } from '../helpers.js'
import { endTransport, readDeadLetters, statsOf, testTransport, writeRecords } from './helpers.js'

const events = (n: number, event = 'auth_login_success'): string[] => Array.from({ length: n }, () => event)

t.test('every record is delivered once, in order, in batches', async (t) => {
  const delivered: LogRecord[][] = []
  const stream = await testTransport({ deliver: (records) => { delivered.push([...records]) }, batchSize: 4 }, { deadLetter: join(tempDir('rt'), 'dl.ndjson') })
  writeRecords(stream, events(10))
  await endTransport(stream)
  t.same(delivered.flat().map((r) => r.i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  t.ok(delivered.every((batch) => batch.length <= 4), 'no batch over batchSize')
  t.same(statsOf(stream), { transport: 'test', name: 'test here', accepted: 10, delivered: 10, retried: 0, deadLettered: 0, dropped: 0, queued: 0 })
})

t.test('events patterns select the records; the others are not counted', async (t) => {
  const delivered: unknown[] = []
  const stream = await testTransport({ deliver: (records) => { delivered.push(...records.map((r) => r.event)) } }, { events: ['payment_*', 'auth_login_failed'], deadLetter: join(tempDir('rt'), 'dl.ndjson') })
  writeRecords(stream, ['auth_login_success', 'payment_process_failed', 'auth_login_failed', 'order_create_success', 'payment_refund_completed'])
  await endTransport(stream)
  t.same(delivered, ['payment_process_failed', 'auth_login_failed', 'payment_refund_completed'])
  t.equal(statsOf(stream).accepted, 3)
})

t.test('a failing delivery is retried with backoff and delivered once', async (t) => {
  let calls = 0
  const delivered: unknown[] = []
  const stream = await testTransport({
    deliver: async (records) => {
      if (++calls <= 2) throw new Error('ECONNRESET')
      delivered.push(...records.map((r) => r.i))
    }
  }, { deadLetter: join(tempDir('rt'), 'dl.ndjson') })
  writeRecords(stream, events(3))
  await endTransport(stream)
  t.same(delivered, [0, 1, 2])
  t.equal(calls, 3)
  t.match(statsOf(stream), { accepted: 3, delivered: 3, retried: 6, deadLettered: 0 })
})

t.test('after the last attempt the records are dead-lettered with the error and the attempt count', async (t) => {
  const deadLetter = join(tempDir('rt'), 'sub', 'dl.ndjson')
  const stream = await testTransport({ deliver: () => { throw new Error('disk on fire') } }, { deadLetter })
  writeRecords(stream, events(2))
  await endTransport(stream)
  const lines = readDeadLetters(deadLetter)
  t.equal(lines.length, 2)
  t.match(lines[0], { transport: 'test', name: 'test here', error: 'Error: disk on fire', attempts: 3, record: { level: 30, event: 'auth_login_success', i: 0 } })
  t.equal(typeof lines[0]!.time, 'string')
  t.match(statsOf(stream), { accepted: 2, delivered: 0, retried: 4, deadLettered: 2, dropped: 0, queued: 0 })
})

t.test('a DeliveryError that is not retryable is dead-lettered at once; delivered counts only the rest', async (t) => {
  const deadLetter = join(tempDir('rt'), 'dl.ndjson')
  let calls = 0
  const stream = await testTransport({
    deliver: (records) => {
      calls++
      // The first two records of the batch got through, then a permanent failure.
      throw new DeliveryError('HTTP 400', { retryable: false, delivered: Math.min(2, records.length) })
    },
    batchSize: 5
  }, { deadLetter })
  writeRecords(stream, events(5))
  await endTransport(stream)
  t.equal(calls, 1)
  t.same(readDeadLetters(deadLetter).map((line) => (line.record as LogRecord).i), [2, 3, 4])
  t.match(statsOf(stream), { accepted: 5, delivered: 2, deadLettered: 3, retried: 0 })
})

t.test('partial delivery: only what did not get through is retried', async (t) => {
  const received: unknown[] = []
  let calls = 0
  const stream = await testTransport({
    deliver: (records) => {
      calls++
      if (calls === 1) {
        received.push(records[0]!.i)
        throw new DeliveryError('disk full', { retryable: true, delivered: 1 })
      }
      received.push(...records.map((r) => r.i))
    },
    batchSize: 3
  }, { deadLetter: join(tempDir('rt'), 'dl.ndjson') })
  writeRecords(stream, events(3))
  await endTransport(stream)
  t.same(received, [0, 1, 2], 'nothing lost, nothing twice')
  t.match(statsOf(stream), { delivered: 3, retried: 2 })
})

t.test('records not delivered in any order (confirms failing one by one): exactly those are retried, then dead-lettered', async (t) => {
  const tries: number[][] = []
  const deadLetter = join(tempDir('rt'), 'dl.ndjson')
  const stream = await testTransport({
    deliver: (records) => {
      tries.push(records.map((r) => r.i as number))
      // Records 1 and 4 never get through; 3 only on the second try.
      const failed = records.filter((r) => r.i === 1 || r.i === 4 || (r.i === 3 && tries.length === 1))
      if (failed.length > 0) throw new DeliveryError('nacked', { retryable: true, undelivered: failed })
    },
    batchSize: 6,
    retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 2 }
  }, { deadLetter })
  writeRecords(stream, events(6))
  await endTransport(stream)
  t.same(tries, [[0, 1, 2, 3, 4, 5], [1, 3, 4], [1, 4]], 'each retry sends only what was not delivered')
  t.match(statsOf(stream), { accepted: 6, delivered: 4, retried: 5, deadLettered: 2 })
  t.same(readDeadLetters(deadLetter).map((entry) => (entry.record as { i: number }).i), [1, 4])
})

t.test('a full queue dead-letters what overflows, counted; memory never holds more than queueSize', async (t) => {
  const deadLetter = join(tempDir('rt'), 'dl.ndjson')
  let release!: () => void
  const gate = new Promise<void>((resolve) => { release = resolve })
  const delivered: unknown[] = []
  const stream = await testTransport({ deliver: async (records) => { await gate; delivered.push(...records.map((r) => r.i)) }, batchSize: 5 }, { deadLetter, queueSize: 10 })
  writeRecords(stream, events(5))
  await new Promise((resolve) => setImmediate(resolve))
  await new Promise((resolve) => setImmediate(resolve))
  // 5 in flight; 10 more fit in the queue; 5 overflow.
  stream.write(Array.from({ length: 15 }, (_, i) => JSON.stringify({ level: 30, time: 1, event: 'x_y_started', i: 5 + i }) + '\n').join(''))
  await new Promise((resolve) => setImmediate(resolve))
  t.match(statsOf(stream), { accepted: 20, queued: 15 })
  release()
  await endTransport(stream)
  const dead = readDeadLetters(deadLetter)
  t.same(dead.map((line) => (line.record as LogRecord).i), [15, 16, 17, 18, 19])
  t.match(dead[0], { error: 'the queue is full (queueSize 10)', attempts: 0 })
  t.same(delivered, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
  const stats = statsOf(stream)
  t.equal(stats.accepted, stats.delivered + stats.deadLettered + stats.dropped + stats.queued, 'accepted = delivered + dead-lettered + dropped + queued')
})

t.test('close waits for deliveries in flight, within closeTimeoutMs; then dead-letters what is left', async (t) => {
  const deadLetter = join(tempDir('rt'), 'dl.ndjson')
  const stream = await testTransport({ deliver: () => new Promise<void>(() => {}), batchSize: 2 }, { deadLetter, closeTimeoutMs: 200 })
  writeRecords(stream, events(5))
  const started = Date.now()
  await endTransport(stream)
  const took = Date.now() - started
  t.ok(took >= 150 && took < 2_000, `closed after the deadline (${took} ms)`)
  const dead = readDeadLetters(deadLetter)
  t.same(dead.map((line) => (line.record as LogRecord).i), [0, 1, 2, 3, 4], 'the hung batch and the queue, once each')
  t.match(dead[0], { error: 'not delivered before the close deadline' })
  t.match(statsOf(stream), { accepted: 5, delivered: 0, deadLettered: 5, queued: 0 })
})

t.test('a retry that would come after the close deadline is dead-lettered at once', async (t) => {
  const deadLetter = join(tempDir('rt'), 'dl.ndjson')
  const stream = await testTransport({
    deliver: () => { throw new DeliveryError('HTTP 429', { retryable: true, retryAfterMs: 60_000 }) }
  }, { deadLetter, closeTimeoutMs: 1_000 })
  writeRecords(stream, events(1))
  await new Promise((resolve) => setTimeout(resolve, 20))
  const started = Date.now()
  await endTransport(stream)
  t.ok(Date.now() - started < 900, 'did not wait for Retry-After')
  t.match(readDeadLetters(deadLetter), [{ error: 'DeliveryError: HTTP 429; no time left to retry before close', attempts: 1 }])
})

t.test('a line that is not JSON is dead-lettered as a string, never dropped', async (t) => {
  const deadLetter = join(tempDir('rt'), 'dl.ndjson')
  const delivered: unknown[] = []
  const stream = await testTransport({ deliver: (records) => { delivered.push(...records.map((r) => r.i)) } }, { deadLetter })
  stream.write('{"level":30,"event":"a_b_started","i":1}\nnot json at all\n[1,2]\n')
  await endTransport(stream)
  t.same(delivered, [1])
  t.same(readDeadLetters(deadLetter).map((line) => [line.record, line.error]), [['not json at all', 'not a JSON record'], ['[1,2]', 'not a JSON record']])
  t.match(statsOf(stream), { accepted: 3, delivered: 1, deadLettered: 2 })
})

t.test('when even the dead-letter file fails, the records are counted as dropped', async (t) => {
  const file = join(tempDir('rt'), 'a-file')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(file, '')
  const stream = await testTransport({ deliver: () => { throw new DeliveryError('no', { retryable: false }) } }, { deadLetter: join(file, 'dl.ndjson') })
  writeRecords(stream, events(3))
  await endTransport(stream)
  t.match(statsOf(stream), { accepted: 3, deadLettered: 0, dropped: 3 })
})

t.test('drained() resolves once nothing is queued or in flight', async (t) => {
  let delivered = 0
  const stream = await testTransport({ deliver: async (records) => { await new Promise((resolve) => setTimeout(resolve, 5)); delivered += records.length } }, { deadLetter: join(tempDir('rt'), 'dl.ndjson') })
  writeRecords(stream, events(25))
  await new Promise((resolve) => setImmediate(resolve))
  await stream[transportControl].drained()
  t.equal(delivered, 25)
  await endTransport(stream)
})

// The amqp transport against the real local RabbitMQ: messages read back
// whole (body, properties, routing keys, persistence), unroutable records
// dead-lettered, the broker stopped and started mid-stream with none lost,
// an unreachable broker costing no retry attempts.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createLogger, defineCatalog, Events } from '../../src/index.js'
import { TransportConfigError } from '../../src/errors.js'
import { tempDir } from '../helpers.js'
import { readDeadLetters, uuidV7 } from './helpers.js'
import { brokerUrl, declareBoundQueue, freshNames, outageWhileLogging, restartsBroker, takeMessages } from './amqp-broker.js'

/** A user's catalog: its events are not in the default one, and their names do not split into domain, action and status by underscores. */
const userCatalog = defineCatalog({
  events: {
    user_account_close_done: { domain: 'user_account', action: 'close', status: 'done', audit: true, fields: {} },
    payment_process_success: { domain: 'payment', action: 'process', status: 'success', audit: true, fields: {} }
  }
})

t.test('10,000 records: whole messages, properties, routing keys from the logger\'s catalog, persistent', async (t) => {
  const { exchange, queue } = freshNames(t)
  const dir = tempDir('amqp')
  const log = createLogger({
    config: false,
    catalog: userCatalog,
    base: { pid: 1, hostname: 'h' },
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, queue, deadLetter: join(dir, 'dead.ndjson') } }
  })
  for (let i = 0; i < 10_000; i++) {
    const event = ['payment_process_success', 'user_account_close_done', 'not_in_catalog'][i % 3]!
    const bound = log.bind(`c-${i}`) as unknown as { info: (event: string, fields: object) => void }
    bound.info(event, { i })
  }
  await log.close()
  t.match(log.stats(), [{ transport: 'amqp', name: `amqp amqp://127.0.0.1:5672 ${exchange}`, accepted: 10_000, delivered: 10_000, retried: 0, deadLettered: 0, dropped: 0, queued: 0 }])
  const messages = await takeMessages(queue, 10_000)
  t.equal(messages.length, 10_000, 'every record is a message')
  t.equal(new Set(messages.map((m) => m.messageId)).size, 10_000, 'each once')
  const byI = new Map(messages.map((m) => [(m.body as { i: number }).i, m]))
  for (const i of [0, 1, 2, 9_999]) {
    const message = byI.get(i)!
    const body = message.body as Record<string, unknown>
    t.match(body.event_id, uuidV7)
    t.equal(typeof body.time, 'number')
    const event = ['payment_process_success', 'user_account_close_done', 'not_in_catalog'][i % 3]!
    t.same(body, { level: 30, time: body.time, pid: 1, hostname: 'h', correlation_id: `c-${i}`, i, event, event_id: body.event_id }, 'the body is the record as logged, with its event_id')
    t.match(message, {
      exchange,
      routingKey: ['payment.process.success', 'user_account.close.done', 'not_in_catalog'][i % 3],
      contentType: 'application/json',
      messageId: body.event_id,
      type: event,
      timestamp: Math.floor((body.time as number) / 1000),
      headers: { level: 30, correlation_id: `c-${i}` },
      durable: true
    })
  }
  t.ok(messages.every((m) => m.durable && m.messageId === (m.body as { event_id: string }).event_id), 'every message persistent, its messageId its event_id')
})

t.test('routingKey templates and explicit routingKeys', async (t) => {
  const { exchange, queue } = freshNames(t)
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, queue, routingKey: 'audit.{event}', routingKeys: { auth_login_failed: 'security.alert' }, deadLetter: join(tempDir('amqp'), 'dead.ndjson') } }
  })
  // The connection's state reaches logger.stats() by itself, before any record.
  const end = Date.now() + 10_000
  while (log.stats()[0]?.connection !== 'up' && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20))
  t.match(log.stats(), [{ transport: 'amqp', accepted: 0, connection: 'up' }])
  log.info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'o', amount: 1, currency: 'EUR', transaction_id: 't' })
  log.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  log.info('custom_thing_done' as 'payment_process_success', {} as never)
  await log.close()
  const keys = (await takeMessages(queue, 3)).map((m) => `${m.type} ${m.routingKey}`).sort()
  t.same(keys, ['auth_login_failed security.alert', 'custom_thing_done audit.custom_thing_done', 'payment_process_success audit.payment_process_success'])
})

t.test('unroutable records are retried, then dead-lettered and counted; routed ones of the same batches are published once', async (t) => {
  const { exchange, queue } = freshNames(t)
  const dir = tempDir('amqp')
  const deadLetter = join(dir, 'dead.ndjson')
  // Only payment events have a route: the others come back (mandatory).
  await declareBoundQueue(exchange, queue, 'payment.#')
  const failures: unknown[] = []
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, retry: { attempts: 3, minDelayMs: 10, maxDelayMs: 20 }, deadLetter } }
  })
  log.onDeliveryFailure((failure) => { failures.push(failure) })
  for (let i = 0; i < 1_000; i++) {
    if (i % 4 === 0) log.warn(Events.AUTH_LOGIN_FAILED, { username: `u-${i}`, reason: 'r' })
    else log.info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: `o-${i}`, amount: i, currency: 'EUR', transaction_id: 't' })
  }
  await log.close()
  const [stats] = log.stats()
  t.match(stats, { accepted: 1_000, delivered: 750, deadLettered: 250, dropped: 0, queued: 0 })
  t.equal(stats!.retried, 500, 'each unroutable record tried three times: two retries each, the routed ones never again')
  const dead = readDeadLetters(deadLetter)
  t.equal(dead.length, 250)
  t.ok(dead.every((entry) => (entry.record as { event: string }).event === 'auth_login_failed' && entry.attempts === 3), 'the auth records, after 3 attempts')
  t.match(dead[0], { error: new RegExp(`returned by the broker: 312 NO_ROUTE \\(exchange '${exchange}', routing key 'auth.login.failed'\\)`), record: { event_id: uuidV7 } })
  const messages = await takeMessages(queue, 750)
  t.equal(messages.length, 750)
  t.equal(new Set(messages.map((m) => (m.body as { order_id: string }).order_id)).size, 750, 'every payment record once')
  t.match(failures, [{ transport: 'amqp', outcome: 'dead-lettered', error: /NO_ROUTE/ }])
})

t.test(`a broker outage mid-stream (${restartsBroker ? 'stop_app, start_app' : 'the broker closes our connections'}): every record consumed or dead-lettered, none lost`, async (t) => {
  const { exchange, queue } = freshNames(t)
  const dir = tempDir('amqp')
  const deadLetter = join(dir, 'dead.ndjson')
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/amqp', options: { url: brokerUrl, exchange, queue, closeTimeoutMs: 9_000, deadLetter } }
  })
  let total = 0
  const logSome = (n: number): void => { for (const end = total + n; total < end; total++) log.info(Events.CACHE_LOOKUP_MISS, { key: `k-${total}`, i: total } as never) }
  logSome(3_000)
  await log.flush()
  // The broker goes away while records keep coming (100 every 50 ms), and comes back before close.
  const { what, sawDown } = await outageWhileLogging(exchange, logSome, () => log.stats()[0]?.connection === 'down')
  logSome(1_000)
  await log.close()
  t.ok(restartsBroker ? sawDown : /connections [1-9]\d* times/.test(what), `${what}; the transport saw it away: ${sawDown}`)
  const [stats] = log.stats()
  t.match(stats, { accepted: total, dropped: 0, queued: 0 })
  t.equal(stats!.delivered + stats!.deadLettered, total, 'each record delivered or dead-lettered')
  const messages = await takeMessages(queue, total)
  const consumed = new Set(messages.map((m) => (m.body as { i: number }).i))
  const dead = new Set((existsSync(deadLetter) ? readDeadLetters(deadLetter) : []).map((entry) => (entry.record as { i: number }).i))
  const lost = Array.from({ length: total }, (_, i) => i).filter((i) => !consumed.has(i) && !dead.has(i))
  t.same(lost, [], 'none lost')
  t.ok(consumed.size > total / 2, `consumed ${consumed.size} (${messages.length - consumed.size} published twice after a lost confirm; the store's event_id removes them), dead-lettered ${dead.size}`)
  t.equal(new Set(messages.map((m) => m.messageId)).size, consumed.size, 'a record published twice keeps its messageId')
})

t.test('an unreachable broker: records wait without spending attempts, then are dead-lettered at the close deadline', async (t) => {
  const dir = tempDir('amqp')
  const deadLetter = join(dir, 'dead.ndjson')
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/amqp', options: { url: 'amqp://guest:guest@127.0.0.1:1', closeTimeoutMs: 1_500, retry: { attempts: 1, minDelayMs: 10, maxDelayMs: 10 }, deadLetter } }
  })
  for (let i = 0; i < 100; i++) log.info(Events.CACHE_LOOKUP_MISS, { key: `k-${i}` } as never)
  while (log.stats()[0]?.accepted !== 100) await new Promise((resolve) => setTimeout(resolve, 50))
  await new Promise((resolve) => setTimeout(resolve, 600))
  t.match(log.stats(), [{ accepted: 100, delivered: 0, deadLettered: 0, queued: 100, connection: 'down' }], 'still held after several tries, with one attempt allowed')
  await log.close()
  t.match(log.stats(), [{ accepted: 100, delivered: 0, retried: 0, deadLettered: 100, dropped: 0, queued: 0 }])
  const dead = readDeadLetters(deadLetter)
  t.equal(dead.length, 100)
  t.match(dead[0], { error: /the broker is unreachable .*ECONNREFUSED.*no time left to retry before close|not delivered before the close deadline/, attempts: 0 })
})

t.test('bad options fail createLogger naming the option', async (t) => {
  const bad = (options: Record<string, unknown>): unknown => {
    try {
      createLogger({ config: false, transport: { target: 'daslog/transports/amqp', options } })
    } catch (error) {
      return error
    }
    return undefined
  }
  const error = bad({ url: 'http://127.0.0.1' })
  t.ok(error instanceof TransportConfigError)
  t.match(error, { message: /"url" of daslog\/transports\/amqp.*expected an amqp:\/\/ or amqps:\/\/ URL/ })
  t.match(bad({ routingKey: '{domain}.{verb}' }), { message: /routingKey.*unknown placeholder \{verb\}/ })
  t.match(bad({ exchange: '' }), { message: /exchange.*non-empty string/ })
  t.match(bad({ queue: 'q'.repeat(256) }), { message: /queue.*255 bytes/ })
  t.match(bad({ persistent: 'yes' }), { message: /persistent/ })
  t.match(bad({ routingKeys: { a: 7 } }), { message: /routingKeys\.a/ })
  t.match(bad({ exchnage: 'x' }), { message: /exchnage.*exchange/ })
})

import t from 'tap'
import { Events, type Processor, type RecordMeta } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { base, withoutTime } from '../helpers.js'

t.test('processors run in order on a copy; what the last returns is written', async (t) => {
  const seen: RecordMeta[] = []
  const tag: Processor = (record, meta) => { seen.push(meta); record.region = 'eu'; return record }
  const upper: Processor = (record) => ({ ...record, reason: String(record.reason).toUpperCase() })
  const { logger, records } = createTestLogger({ processors: [tag, upper] })
  const fields = { username: 'alice', reason: 'bad_password' }
  logger.bind('c-1').warn(Events.AUTH_LOGIN_FAILED, fields)
  t.strictSame(withoutTime(records[0]), { level: 40, ...base, correlation_id: 'c-1', event: 'auth_login_failed', username: 'alice', reason: 'BAD_PASSWORD', region: 'eu' })
  t.strictSame(fields, { username: 'alice', reason: 'bad_password' }, "the caller's object is not changed")
  t.strictSame(seen, [{ level: 'warn', levelValue: 40, bindings: { correlation_id: 'c-1' } }])
})

t.test('null drops the record; later processors do not run', async (t) => {
  let after = 0
  const dropCacheHits: Processor = (record) => record.event === 'cache_lookup_hit' ? null : record
  const { logger, records } = createTestLogger({ processors: [dropCacheHits, (record) => { after++; return record }] })
  logger.debug(Events.CACHE_LOOKUP_HIT, { key: 'a' })
  logger.info(Events.CACHE_LOOKUP_MISS, { key: 'b' })
  t.same(records.map((r) => r.event), ['cache_lookup_miss'])
  t.equal(after, 1)
})

t.test('a processor that throws drops the record and is reported once', async (t) => {
  const warnings: Array<{ message: string, code: string | undefined }> = []
  const onWarning = (w: Error & { code?: string }): void => { warnings.push({ message: w.message, code: w.code }) }
  process.on('warning', onWarning)
  const brokenMask: Processor = (record) => { if (record.card !== undefined) throw new Error('mask failed'); return record }
  const { logger, records } = createTestLogger({ processors: [brokenMask] })
  logger.info(Events.PAYMENT_CHARGE_STARTED, { card: '4111111111111111' })
  logger.info(Events.PAYMENT_CHARGE_STARTED, { card: '5500000000000004' })
  logger.info(Events.PAYMENT_CHARGE_STARTED, { order_id: 'o1' })
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  t.same(records.map((r) => r.order_id), ['o1'], 'nothing of the failing records is written')
  t.equal(warnings.length, 1)
  t.equal(warnings[0]!.code, 'DASLOG_PROCESSOR_FAILED')
  t.match(warnings[0]!.message, /processor 0 \(brokenMask\) threw Error at brokenMask \(.*chain\.test\.ts:\d+:\d+\); its records are dropped and counted/)
  t.notMatch(warnings[0]!.message, /mask failed|4111/, 'the error message (which may quote the record) is not repeated')
})

t.test('processors see implicit context and an Error given as fields', async (t) => {
  const events: unknown[] = []
  const { logger, records } = createTestLogger({ processors: [(record) => { events.push({ ...record }); return record }] })
  logger.withContext({ request_id: 'r-1' }, () => logger.info(Events.NOTIFICATION_SEND_STARTED, { type: 'email' }))
  const err = new Error('boom')
  logger.error(Events.NOTIFICATION_SEND_FAILED, err as never)
  t.strictSame(events[0], { event: 'notification_send_started', request_id: 'r-1', type: 'email' })
  t.equal((events[1] as { err: Error }).err, err)
  t.equal((records[1]!.err as { message: string }).message, 'boom')
  t.equal(records[1]!.event, 'notification_send_failed')
})

t.test('close() reports how many records each throwing processor dropped', async (t) => {
  const warnings: string[] = []
  const onWarning = (w: Error): void => { warnings.push(w.message) }
  process.on('warning', onWarning)
  const flaky: Processor = (record) => { if (record.key === 'bad') throw new TypeError('no'); return record }
  const { logger, records } = createTestLogger({ processors: [flaky] })
  for (const key of ['bad', 'ok', 'bad', 'bad']) logger.info(Events.CACHE_LOOKUP_MISS, { key })
  await logger.close()
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  t.equal(records.length, 1)
  t.match(warnings.at(-1), /records dropped because a processor threw: processor 0 \(flaky\): 3/)
})

t.test('a processor that throws on bound context: the fields are not bound, a marker is', async (t) => {
  const warnings: string[] = []
  const onWarning = (w: Error): void => { warnings.push(w.message) }
  process.on('warning', onWarning)
  const broken: Processor = Object.assign((record: Parameters<Processor>[0]) => record, {
    fields: (fields: Readonly<Record<string, unknown>>) => { if ('api_key' in fields) throw new Error('mask broke'); return fields }
  })
  const { logger, records } = createTestLogger({ processors: [broken] })
  logger.bind({ api_key: 'secret-key' }).info(Events.API_CALL_STARTED, { endpoint: '/v1/charges' })
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  t.match(records[0], { daslog_error: 'bound context dropped: a processor failed on it' })
  t.notMatch(JSON.stringify(records[0]), /secret-key/)
  t.equal(warnings.length, 1)
})

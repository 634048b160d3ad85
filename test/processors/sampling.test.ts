import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import t from 'tap'
import { Events, sampling, type SamplingOptions } from '../../src/index.js'
import { hashToUnit } from '../../src/processors/sampling.js'
import { createTestLogger } from '../../src/testing.js'
import { base, withoutTime } from '../helpers.js'

const logged = (options: SamplingOptions) => createTestLogger({ processors: [sampling(options)] })

t.test('a rate keeps that share of a large run, within 4 standard deviations', async (t) => {
  const runs = 20_000
  await fc.assert(fc.asyncProperty(fc.double({ min: 0.02, max: 0.98, noNaN: true }), async (rate) => {
    const { logger, records } = logged({ rate })
    for (let i = 0; i < runs; i++) logger.info(Events.CACHE_LOOKUP_HIT, { key: `k${i}` })
    const tolerance = 4 * Math.sqrt(runs * rate * (1 - rate))
    if (Math.abs(records.length - runs * rate) > tolerance) throw new Error(`rate ${rate}: kept ${records.length} of ${runs}`)
    if (!records.every((r) => r.sample_rate === rate)) throw new Error('a kept record lacks sample_rate')
  }), { numRuns: 15 })
  t.pass('every sampled run kept its share')
})

t.test('a kept record is whole and carries sample_rate; rate 1 adds nothing', async (t) => {
  const { logger, records } = logged({ events: { cache_lookup_hit: 0.999999 } })
  const sampled = logger.bind('c-1')
  for (let i = 0; i < 5 && records.length === 0; i++) sampled.info(Events.CACHE_LOOKUP_HIT, { key: 'user:1' })
  logger.info(Events.CACHE_LOOKUP_MISS, { key: 'user:2' })
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, correlation_id: 'c-1', key: 'user:1', event: 'cache_lookup_hit', sample_rate: 0.999999 })
  t.strictSame(withoutTime(records[1]), { level: 30, ...base, key: 'user:2', event: 'cache_lookup_miss' })
})

t.test('per-event rates: exact names win over globs, globs in order, then the default rate', async (t) => {
  const { logger, records } = logged({ rate: 0, events: { 'cache_*': 0, cache_lookup_miss: 1, '*_failed': 1, 'auth_*': 0 } })
  logger.info(Events.CACHE_LOOKUP_HIT, { key: 'a' })
  logger.info(Events.CACHE_LOOKUP_MISS, { key: 'b' })
  logger.info(Events.AUTH_LOGOUT_SUCCESS, { user_id: 'u' })
  logger.info(Events.PAYMENT_CHARGE_FAILED, { reason: 'declined' } as never)
  logger.info(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  t.strictSame(records.map((r) => r.event), ['cache_lookup_miss', 'payment_charge_failed', 'auth_login_failed'])
})

t.test('records at keepAtOrAbove (default warn) and above are never sampled out', async (t) => {
  const { logger, records } = logged({ rate: 0 })
  logger.info(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  logger.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  logger.error(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  t.strictSame(records.map((r) => r.level), [40, 50])
  t.notOk('sample_rate' in records[0]!, 'a record kept by its level is not marked as sampled')

  const strict = logged({ rate: 0, keepAtOrAbove: 'fatal' })
  strict.logger.error(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  strict.logger.fatal(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  t.strictSame(strict.records.map((r) => r.level), [60])
})

t.test('by: one correlation id is kept or dropped as a whole, from fields, context or bound context', async (t) => {
  const { logger, records } = logged({ rate: 0.5, by: 'correlation_id' })
  const ids = Array.from({ length: 400 }, (_, i) => `req-${i}`)
  for (const id of ids) {
    logger.info(Events.API_CALL_STARTED, { correlation_id: id } as never)
    logger.bind(id).info(Events.API_CALL_COMPLETED, {} as never)
    logger.withContext({ correlation_id: id }, () => logger.info(Events.API_CALL_FAILED, {} as never))
  }
  const byId = new Map<string, string[]>()
  for (const record of records) byId.set(record.correlation_id as string, [...byId.get(record.correlation_id as string) ?? [], record.event as string])
  t.ok([...byId.values()].every((events) => events.length === 3), 'every kept id kept all three of its records')
  t.ok(byId.size > 140 && byId.size < 260, `about half the ids kept (${byId.size} of 400)`)
  t.strictSame([...byId.keys()].sort(), ids.filter((id) => hashToUnit(id) < 0.5).sort(), 'the hash decides')
})

t.test('by: the decision is the same in another process', async (t) => {
  const ids = Array.from({ length: 50 }, (_, i) => `corr-${i * 7919}`)
  const script = `
    import { createTestLogger } from './src/testing.ts'
    import { sampling } from './src/index.ts'
    const { logger, records } = createTestLogger({ processors: [sampling({ rate: 0.3, by: 'correlation_id' })] })
    for (const id of ${JSON.stringify(ids)}) logger.bind(id).info('api_call_started')
    console.log(JSON.stringify(records.map((r) => r.correlation_id)))
  `
  const child = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as string[]
  const { logger, records } = logged({ rate: 0.3, by: 'correlation_id' })
  for (const id of ids) logger.bind(id).info(Events.API_CALL_STARTED, {} as never)
  t.strictSame(child, records.map((r) => r.correlation_id))
  t.ok(child.length > 3 && child.length < 30, `some kept, some dropped (${child.length} of 50)`)
})

t.test('an id kept at a rate is kept at every higher rate', async (t) => {
  fc.assert(fc.property(fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (id, a, b) => {
    const [low, high] = a < b ? [a, b] : [b, a]
    return !(hashToUnit(id) < low) || hashToUnit(id) < high
  }))
  t.pass()
})

t.test('rateLimit: a token bucket per event, and one summary per event of what it held back', async (t) => {
  const { logger, records } = logged({ rateLimit: { perEvent: 3, intervalMs: 60_000 } })
  for (let i = 0; i < 10; i++) logger.error(Events.DATABASE_QUERY_FAILED, { query: `q${i}` } as never)
  for (let i = 0; i < 2; i++) logger.info(Events.CACHE_LOOKUP_MISS, { key: `k${i}` })
  t.strictSame(records.map((r) => r.query ?? r.key), ['q0', 'q1', 'q2', 'k0', 'k1'], 'three errors pass, other events have their own bucket')
  await logger.flush()
  t.strictSame(withoutTime(records.at(-1)), {
    level: 50, ...base, event: 'events_suppressed', suppressed_event: 'database_query_failed', suppressed_count: 7, interval_ms: 60_000
  }, 'flush() reports the suppressed count at the level of what was suppressed')
  await logger.flush()
  t.equal(records.filter((r) => r.event === 'events_suppressed').length, 1, 'a count is reported once')
})

t.test('rateLimit: the summary comes by itself one interval after the first suppression, and tokens refill', async (t) => {
  const { logger, records } = logged({ rateLimit: { perEvent: 2, intervalMs: 50, events: ['cache_*'] } })
  for (let i = 0; i < 5; i++) logger.info(Events.CACHE_LOOKUP_HIT, { key: `a${i}` })
  for (let i = 0; i < 5; i++) logger.info(Events.NOTIFICATION_SEND_STARTED, { type: 'sms' } as never)
  t.equal(records.length, 7, 'only cache_* is limited')
  await new Promise((resolve) => setTimeout(resolve, 120))
  const summary = records.find((r) => r.event === 'events_suppressed')
  t.match(summary, { suppressed_event: 'cache_lookup_hit', suppressed_count: 3, level: 30 })
  logger.info(Events.CACHE_LOOKUP_HIT, { key: 'later' })
  t.equal(records.at(-1)!.key, 'later', 'the bucket refilled')
})

t.test('a dropped call allocates no record: sampling decides before the copy', async (t) => {
  let copies = 0
  const fields = { get key () { copies++; return 'k' } }
  // validate off: its check reads the declared fields (key) of every call, sampled out or not
  const { logger, records } = createTestLogger({ processors: [sampling({ rate: 0 })], validate: false })
  for (let i = 0; i < 100; i++) logger.info(Events.CACHE_LOOKUP_HIT, fields as never)
  t.equal(records.length, 0)
  t.equal(copies, 0, 'the fields were never read')
})

t.test('bad options throw a ConfigError naming the option', async (t) => {
  const bad: Array<[unknown, string]> = [
    [{ rate: 2 }, 'sampling.rate'],
    [{ rate: '0.5' }, 'sampling.rate'],
    [{ events: { 'auth login': 0.5 } }, 'sampling.events["auth login"]'],
    [{ events: { cache_hit: -1 } }, 'sampling.events["cache_hit"]'],
    [{ keepAtOrAbove: 'warning' }, 'sampling.keepAtOrAbove'],
    [{ by: '' }, 'sampling.by'],
    [{ rateLimit: { perEvent: 0, intervalMs: 1000 } }, 'sampling.rateLimit.perEvent'],
    [{ rateLimit: { perEvent: 5 } }, 'sampling.rateLimit.intervalMs'],
    [{ rateLimit: { perEvent: 5, intervalMs: 10, event: ['x'] } }, 'sampling.rateLimit.event'],
    [{ rat: 0.5 }, 'sampling.rat']
  ]
  for (const [options, option] of bad) {
    t.throws(() => sampling(options as SamplingOptions), { name: 'ConfigError', code: 'DASLOG_CONFIG', option }, `${JSON.stringify(options)} → ${option}`)
  }
  t.throws(() => createTestLogger({ sampling: { rate: 5 } }), /Invalid option "sampling.rate": expected a rate from 0 to 1, got 5/)
})

t.test('a rate-limited sampling() belongs to one logger', async (t) => {
  const shared = sampling({ rateLimit: { perEvent: 1, intervalMs: 1000 } })
  createTestLogger({ processors: [shared] })
  t.throws(() => createTestLogger({ processors: [shared] }), /belongs to one logger/)
  const plain = sampling({ rate: 0.5 })
  createTestLogger({ processors: [plain] })
  t.doesNotThrow(() => createTestLogger({ processors: [plain] }), 'a plain one can be shared')
})

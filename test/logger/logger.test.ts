import { join } from 'node:path'
import t from 'tap'
import pino from 'pino'
import { createLogger, Events } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { base, readLines, tempDir, withoutTime } from '../helpers.js'

t.test('a record is one pino JSON line with the event name under "event"', async (t) => {
  const { logger, records } = createTestLogger()
  logger.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  t.equal(records.length, 1)
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, event: 'auth_login_success', user_id: 'u1' })
})

t.test('each level method writes at its pino level; fields are optional when none is required', async (t) => {
  const { logger, records } = createTestLogger()
  logger.trace(Events.CACHE_LOOKUP_HIT, { key: 'a' })
  logger.debug(Events.CACHE_LOOKUP_HIT, { key: 'b' })
  logger.info(Events.NOTIFICATION_SEND_SUCCESS)
  logger.warn(Events.AUTH_LOGIN_FAILED, { username: 'alice', reason: 'invalid_password' })
  logger.error(Events.NOTIFICATION_SEND_FAILED, { error: 'smtp down' })
  logger.fatal(Events.DATABASE_CONNECTION_FAILED, { host: 'db', error: 'timeout' })
  t.same(records.map((r) => [r.level, r.event]), [
    [10, 'cache_lookup_hit'], [20, 'cache_lookup_hit'], [30, 'notification_send_success'],
    [40, 'auth_login_failed'], [50, 'notification_send_failed'], [60, 'database_connection_failed']
  ])
  t.strictSame(withoutTime(records[2]), { level: 30, ...base, event: 'notification_send_success' })
})

t.test('bind(correlationId) and bind(fields) return children; the parent is unchanged', async (t) => {
  const { logger, records } = createTestLogger()
  const request = logger.bind('c-1')
  const user = request.bind({ user_id: 'u1', tenant: 't1' })
  user.info(Events.AUTH_TOKEN_ISSUED, { user_id: 'u1', ttl_s: 3600 })
  request.info(Events.API_REQUEST_STARTED, { endpoint: '/users', method: 'GET' })
  logger.info(Events.NOTIFICATION_SEND_STARTED)
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, correlation_id: 'c-1', user_id: 'u1', tenant: 't1', ttl_s: 3600, event: 'auth_token_issued' })
  t.strictSame(withoutTime(records[1]), { level: 30, ...base, correlation_id: 'c-1', endpoint: '/users', method: 'GET', event: 'api_request_started' })
  t.strictSame(withoutTime(records[2]), { level: 30, ...base, event: 'notification_send_started' })
  t.strictSame(user.bindings(), { correlation_id: 'c-1', user_id: 'u1', tenant: 't1' })
  t.strictSame(logger.bindings(), {})
  t.throws(() => logger.bind(42 as unknown as string), /bind\(\) takes a correlation id string or an object/)
})

t.test('the level: disabled methods write nothing, children follow, pino level changes are followed', async (t) => {
  const { logger, records } = createTestLogger({ level: 'info' })
  const child = logger.bind('c-2')
  t.equal(logger.level, 'info')
  t.equal(logger.isLevelEnabled('debug'), false)
  t.equal(logger.isLevelEnabled('warn'), true)
  logger.debug(Events.CACHE_LOOKUP_HIT, { key: 'a' })
  child.debug(Events.CACHE_LOOKUP_HIT, { key: 'b' })
  t.equal(records.length, 0)

  logger.level = 'debug'
  child.debug(Events.CACHE_LOOKUP_HIT, { key: 'c' })
  t.same(records.map((r) => r.key), ['c'], 'a child without its own level follows its parent')

  child.level = 'error'
  child.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  logger.warn(Events.AUTH_LOGIN_FAILED, { username: 'v', reason: 'r' })
  t.same(records.map((r) => r.key ?? r.username), ['c', 'v'], 'a child with its own level keeps it')

  logger.pino.level = 'silent'
  logger.fatal(Events.DATABASE_CONNECTION_FAILED, { host: 'h', error: 'e' })
  t.equal(records.length, 2, 'setting the level on logger.pino is followed too')
  t.equal(logger.level, 'silent')
  t.throws(() => { logger.level = 'loud' }, /unknown level/)
})

t.test('an Error in fields.err is serialized the pino way, with its cause chain', async (t) => {
  const { logger, records } = createTestLogger()
  const root = new TypeError('socket hang up')
  const err = new Error('charge failed', { cause: root })
  logger.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o1', amount: 5, reason: 'gateway', err })
  const written = records[0]!.err as Record<string, unknown>
  t.equal(written.type, 'Error')
  t.equal(written.message, 'charge failed')
  t.equal(written.stack, err.stack)
  t.strictSame(written.cause, { type: 'TypeError', message: 'socket hang up', stack: root.stack })
})

t.test('withContext adds fields to every record inside, across awaits, for every logger', async (t) => {
  const { logger, records } = createTestLogger()
  const other = createTestLogger()
  await logger.withContext({ request_id: 'r-1' }, async () => {
    logger.info(Events.API_REQUEST_STARTED, { endpoint: '/a', method: 'GET' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    await logger.withContext({ step: 2 }, async () => {
      await Promise.resolve()
      other.logger.bind('c-9').info(Events.CACHE_LOOKUP_MISS, { key: 'k' })
    })
  })
  logger.info(Events.NOTIFICATION_SEND_STARTED)
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, request_id: 'r-1', endpoint: '/a', method: 'GET', event: 'api_request_started' })
  t.strictSame(withoutTime(other.records[0]), { level: 30, ...base, correlation_id: 'c-9', request_id: 'r-1', step: 2, key: 'k', event: 'cache_lookup_miss' })
  t.strictSame(withoutTime(records[1]), { level: 30, ...base, event: 'notification_send_started' }, 'nothing leaks outside')
})

t.test('timed logs started, then completed or success with duration_ms, or failed with err', async (t) => {
  const { logger, records } = createTestLogger()
  t.equal(logger.timed('database_query', { table: 'users', operation: 'SELECT' }, () => 42), 42)
  const value = await logger.timed('api_call', { endpoint: '/users' }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 10))
    return 'ok'
  })
  t.equal(value, 'ok')
  t.same(records.map((r) => [r.level, r.event]), [
    [30, 'database_query_started'], [30, 'database_query_completed'],
    [30, 'api_call_started'], [30, 'api_call_completed']
  ])
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, table: 'users', operation: 'SELECT', event: 'database_query_started' })
  t.type(records[1]!.duration_ms, 'number')
  t.ok((records[3]!.duration_ms as number) >= 9, 'async duration covers the await')

  records.length = 0
  logger.timed('payment_process', { order_id: 'o1', amount: 9.5, currency: 'EUR' }, () => undefined)
  t.same(records.map((r) => r.event), ['payment_process_started', 'payment_process_success'], '_success when the catalog has no _completed')

  records.length = 0
  const boom = new Error('deadlock')
  t.throws(() => logger.timed('database_query', { table: 'orders' }, () => { throw boom }), boom)
  await t.rejects(logger.timed('api_call', { endpoint: '/x' }, async () => { throw boom }), boom)
  t.same(records.map((r) => [r.level, r.event]), [
    [30, 'database_query_started'], [50, 'database_query_failed'], [30, 'api_call_started'], [50, 'api_call_failed']
  ])
  t.equal((records[1]!.err as { message: string }).message, 'deadlock')
  t.equal(records[1]!.table, 'orders')
  t.type(records[3]!.duration_ms, 'number')
})

t.test('a logger over a file destination: flush puts every record on disk', async (t) => {
  const file = join(tempDir('file'), 'app.log')
  const destination = pino.destination({ dest: file, sync: false, minLength: 4096 })
  const logger = createLogger({ config: false }, destination)
  for (let i = 0; i < 100; i++) logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: `i${i}` })
  await logger.flush()
  const lines = readLines(file)
  t.equal(lines.length, 100)
  t.strictSame(withoutTime(lines[99]), { level: 30, ...base, item_id: 'i99', event: 'item_process_success', msg: 'item_process_success' })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'last' })
  await logger.close()
  t.equal(readLines(file).at(-1)!.item_id, 'last', 'close() flushes a destination it did not open (and leaves it open)')
  destination.end()
})

t.test('close() ends a transport daslog opened, after it has written everything', async (t) => {
  const file = join(tempDir('transport'), 'out.log')
  const logger = createLogger({ config: false, transport: { targets: [{ target: 'pino/file', options: { destination: file } }] } })
  for (let i = 0; i < 500; i++) logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: `i${i}` })
  await logger.close()
  const lines = readLines(file)
  t.equal(lines.length, 500)
  t.strictSame(withoutTime(lines[0]), { level: 30, ...base, item_id: 'i0', event: 'item_process_success', msg: 'item_process_success' })
  await logger.close()
  t.pass('close() twice is fine')
})

t.test('pino options pass through: base, timestamp, serializers, redact, formatters, mixin', async (t) => {
  const { logger, records } = createTestLogger({
    base: { service: 'checkout' },
    timestamp: () => ',"time":1',
    serializers: { card: (card: string) => `****${card.slice(-4)}` },
    redact: ['secret'],
    mixin: () => ({ region: 'eu' })
  })
  logger.info(Events.PAYMENT_CHARGE_STARTED, { order_id: 'o', card: '4111111111111111', secret: 's3cr3t' })
  t.strictSame(records[0], { level: 30, time: 1, service: 'checkout', region: 'eu', order_id: 'o', card: '****1111', secret: '[Redacted]', event: 'payment_charge_started' })
})

t.test('a pino logMethod hook and msgPrefix still see daslog calls', async (t) => {
  const seen: unknown[] = []
  const { logger, records } = createTestLogger({
    hooks: {
      logMethod (args, method) {
        seen.push(args[1])
        method.apply(this, args)
      }
    }
  })
  logger.info(Events.CACHE_LOOKUP_MISS, { key: 'k' })
  t.same(seen, ['cache_lookup_miss'])
  t.equal(records[0]!.event, 'cache_lookup_miss')
})

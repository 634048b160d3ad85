import t from 'tap'
import { defineCatalog, Events, type LevelName, type RecordMeta } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'

/** The record without what changes from run to run (`time`, `pid`, `hostname`, each checked to be there). */
function stable (record: Record<string, unknown> | undefined): Record<string, unknown> {
  if (record === undefined) throw new Error('no record')
  const { time, pid, hostname, ...rest } = record
  if (typeof time !== 'number' || typeof pid !== 'number' || typeof hostname !== 'string') throw new Error(`not a pino record: ${JSON.stringify(record)}`)
  return rest
}

/** A catalog whose levels are set on actions and statuses, as a generated module would define it. */
const shop = defineCatalog<{
  shop_order_placed: { order_id: string }
  shop_order_refunded: { order_id: string, reason: string }
  shop_order_lost: { order_id: string }
  shop_stock_low: { sku: string }
  shop_cart_viewed: Record<never, never>
}>({
  events: {
    shop_order_placed: { domain: 'shop', action: 'order', status: 'placed', audit: true, level: 'debug', fields: { order_id: { type: 'string', optional: false } } },
    shop_order_refunded: { domain: 'shop', action: 'order', status: 'refunded', audit: true, level: 'warn', fields: { order_id: { type: 'string', optional: false }, reason: { type: 'string', optional: false } } },
    shop_order_lost: { domain: 'shop', action: 'order', status: 'lost', audit: true, level: 'fatal', fields: { order_id: { type: 'string', optional: false } } },
    shop_stock_low: { domain: 'shop', action: 'stock', status: 'low', audit: false, level: 'trace', fields: { sku: { type: 'string', optional: false } } },
    shop_cart_viewed: { domain: 'shop', action: 'cart', status: 'viewed', audit: false, fields: {} }
  }
})

t.test('log.event writes at the level the default catalog declares for the event, info when it declares none', async (t) => {
  const { logger, records } = createTestLogger()
  logger.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o1', amount: 5, reason: 'card_declined' })
  logger.event(Events.AUTH_LOGIN_FAILED, { username: 'alice', reason: 'invalid_password' })
  logger.event(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  logger.event(Events.NOTIFICATION_SEND_STARTED)
  t.strictSame(records.map(stable), [
    { level: 50, order_id: 'o1', amount: 5, reason: 'card_declined', event: 'payment_process_failed' },
    { level: 40, username: 'alice', reason: 'invalid_password', event: 'auth_login_failed' },
    { level: 30, user_id: 'u1', event: 'auth_login_success' },
    { level: 30, event: 'notification_send_started' }
  ])
})

t.test('log.event follows the levels of a custom catalog, every level included', async (t) => {
  const { logger, records } = createTestLogger({ catalog: shop })
  logger.event('shop_stock_low', { sku: 's1' })
  logger.event('shop_order_placed', { order_id: 'o1' })
  logger.event('shop_cart_viewed')
  logger.event('shop_order_refunded', { order_id: 'o1', reason: 'damaged' })
  logger.event('shop_order_lost', { order_id: 'o2' })
  t.strictSame(records.map(stable), [
    { level: 10, sku: 's1', event: 'shop_stock_low' },
    { level: 20, order_id: 'o1', event: 'shop_order_placed' },
    { level: 30, event: 'shop_cart_viewed' },
    { level: 40, order_id: 'o1', reason: 'damaged', event: 'shop_order_refunded' },
    { level: 60, order_id: 'o2', event: 'shop_order_lost' }
  ])
})

t.test('log.event writes nothing below the logger level; children with their own level keep it', async (t) => {
  const { logger, records } = createTestLogger({ catalog: shop, level: 'info' })
  logger.event('shop_order_placed', { order_id: 'o1' })
  logger.event('shop_stock_low', { sku: 's1' })
  t.equal(records.length, 0, 'debug and trace events are below info')
  logger.event('shop_order_refunded', { order_id: 'o1', reason: 'late' })
  const quiet = logger.bind('c-9')
  quiet.level = 'error'
  quiet.event('shop_order_refunded', { order_id: 'o2', reason: 'late' })
  quiet.event('shop_order_lost', { order_id: 'o3' })
  logger.level = 'debug'
  logger.event('shop_order_placed', { order_id: 'o4' })
  t.strictSame(records.map(stable), [
    { level: 40, order_id: 'o1', reason: 'late', event: 'shop_order_refunded' },
    { level: 60, correlation_id: 'c-9', order_id: 'o3', event: 'shop_order_lost' },
    { level: 20, order_id: 'o4', event: 'shop_order_placed' }
  ])
})

t.test('log.event works on bound children and inside withContext', async (t) => {
  const { logger, records } = createTestLogger()
  const request = logger.bind('c-1').bind({ tenant: 't1' })
  request.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o1', amount: 5, reason: 'timeout' })
  await logger.withContext({ request_id: 'r-1' }, async () => {
    await Promise.resolve()
    logger.event(Events.AUTH_TOKEN_INVALID, { reason: 'expired_signature' })
    request.event(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  })
  logger.event(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u2' })
  t.strictSame(records.map(stable), [
    { level: 50, correlation_id: 'c-1', tenant: 't1', order_id: 'o1', amount: 5, reason: 'timeout', event: 'payment_process_failed' },
    { level: 50, request_id: 'r-1', reason: 'expired_signature', event: 'auth_token_invalid' },
    { level: 30, correlation_id: 'c-1', tenant: 't1', request_id: 'r-1', user_id: 'u1', event: 'auth_login_success' },
    { level: 30, user_id: 'u2', event: 'auth_login_success' }
  ])
  t.strictSame(logger.bindings(), {}, 'the parent is unchanged')
})

t.test('processors see the level log.event chose', async (t) => {
  const seen: Array<[string, LevelName, number]> = []
  const { logger, records } = createTestLogger({
    processors: [(record, meta: RecordMeta) => { seen.push([record.event, meta.level, meta.levelValue]); return { ...record, seen: true } }]
  })
  logger.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o1', amount: 5, reason: 'r' })
  logger.bind('c-2').event(Events.AUTH_LOGIN_FAILED, { username: 'a', reason: 'r' })
  t.strictSame(seen, [['payment_process_failed', 'error', 50], ['auth_login_failed', 'warn', 40]])
  t.strictSame(records.map(stable), [
    { level: 50, order_id: 'o1', amount: 5, reason: 'r', seen: true, event: 'payment_process_failed' },
    { level: 40, correlation_id: 'c-2', username: 'a', reason: 'r', seen: true, event: 'auth_login_failed' }
  ])
})

t.test('an event outside the catalog (an untyped caller) logs at info, and log.event never throws', async (t) => {
  // validate off: the records as written without the catalog check (test/logger/validate.test.ts has it on)
  const { logger, records } = createTestLogger({ validate: false })
  const untyped = logger as unknown as { event: (event: unknown, fields?: unknown) => void }
  for (const name of ['billing_invoice_paid', '__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
    t.doesNotThrow(() => { untyped.event(name, { id: 1 }) }, name)
  }
  t.strictSame(records.map(stable), [
    { level: 30, id: 1, event: 'billing_invoice_paid' },
    { level: 30, id: 1, event: '__proto__' },
    { level: 30, id: 1, event: 'constructor' },
    { level: 30, id: 1, event: 'hasOwnProperty' },
    { level: 30, id: 1, event: 'toString' }
  ])
  const circular: Record<string, unknown> = { id: 2 }
  circular.self = circular
  const bad = { get boom (): never { throw new Error('getter') } }
  for (const [what, event, fields] of [
    ['no name', undefined, undefined],
    ['a number as the name', 42, { id: 3 }],
    ['an object as the name', { not: 'a name' }, undefined],
    ['circular fields', 'payment_process_failed', circular],
    ['a throwing getter', 'auth_login_failed', bad],
    ['a string as the fields', 'auth_login_success', 'text']
  ] as Array<[string, unknown, unknown]>) {
    t.doesNotThrow(() => { untyped.event(event, fields) }, what)
  }
  t.equal(records.length, 11, 'every call wrote a record')
  t.same(records.slice(5).map((record) => record.level), [30, 30, 30, 50, 40, 30])
})

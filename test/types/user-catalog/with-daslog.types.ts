// A catalog with `include: [daslog]` types its own events and the default ones.
// The test generates ./generated/with-daslog.ts from with-daslog.yaml first.
import { createLogger, Events as DefaultEvents } from 'daslog'
import { catalog, Events, type EventName } from './generated/with-daslog.js'

const log = createLogger({ catalog, config: false })

// Its own events.
log.info(Events.SHOP_ORDER_PLACED, { order_id: 'o1', total: 12.5 })
log.warn(Events.SHOP_ORDER_REFUNDED, { order_id: 'o1', total: 12.5, reason: 'damaged' })
const checkout: Promise<number> = log.timed('shop_checkout', { cart_id: 'c1' }, async () => 1)
// The default catalog's, through either Events object.
log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
log.info(DefaultEvents.AUTH_LOGIN_SUCCESS, { user_id: 'u1', duration_ms: 3 })
log.bind('c-1').warn('auth_login_failed', { username: 'alice', reason: 'invalid_password' })
const rows: number = log.timed('database_query', { table: 'orders' }, () => 1)
const name: EventName = 'payment_process_failed'
log.event(Events.SHOP_ORDER_REFUNDED, { order_id: 'o1', total: 12.5, reason: 'damaged' })
log.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o1', amount: 12.5, reason: 'card_declined' })

// @ts-expect-error a default event's field of the wrong type
log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 42 })
// @ts-expect-error a default event's required field is missing
log.info(DefaultEvents.AUTH_LOGIN_SUCCESS, { duration_ms: 3 })
// @ts-expect-error its own event's required field is missing
log.warn(Events.SHOP_ORDER_REFUNDED, { order_id: 'o1', total: 12.5 })
// @ts-expect-error event(): a default event's required field is missing
log.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o1', amount: 12.5 })
// @ts-expect-error an event in neither catalog
log.info('shop_order_shipped', { order_id: 'o1', total: 1 })
// @ts-expect-error not an operation of either catalog
log.timed('database_querys', {}, () => 1)
void checkout; void rows; void name

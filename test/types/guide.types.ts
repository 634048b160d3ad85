// Type tests for the DAS guide's patterns (seeds/001): compiled by test/types/types.test.ts.
// Every @ts-expect-error must be an error; if the typing regresses and one compiles, tsc reports the unused directive.
import { createLogger, Events, type EventsMatching, type EventsWith, type FamilyFields, type FieldsOf, type Logger } from 'daslog'

const logger = createLogger()

// 1. Fields bound with bind() count toward the required ones.
function fulfillOrder (orderId: string): void {
  const log = logger.bind({ order_id: orderId })
  log.info(Events.ORDER_FULFILL_STARTED)
  log.info(Events.PAYMENT_CHARGE_SUCCESS, { transaction_id: 'txn_456' })
  log.info(Events.ORDER_FULFILL_COMPLETED, { status: 'shipped' })
  log.error(Events.ORDER_FULFILL_FAILED, { reason: 'payment_failed' })
  log.event(Events.ORDER_FULFILL_STARTED)
  // A call may still give the bound field (it wins, written once).
  log.info(Events.ORDER_FULFILL_STARTED, { order_id: 'ORD-124' })
  // @ts-expect-error still required: the reason (not bound)
  log.error(Events.ORDER_FULFILL_FAILED, {})
  // @ts-expect-error still required, with nothing given at all
  log.error(Events.ORDER_FULFILL_FAILED)
  // @ts-expect-error a bound field does not loosen the type of a field given in the call
  log.info(Events.ORDER_FULFILL_STARTED, { order_id: 42 })
  // @ts-expect-error another event's required fields are not bound
  log.info(Events.AUTH_LOGIN_SUCCESS)
}

// Bindings accumulate through nested binds, and the correlation-id form binds correlation_id.
const requestLog = logger.bind('c-1').bind({ user_id: 'user_123', session_id: 'sess_456' })
requestLog.info(Events.AUTH_LOGIN_SUCCESS)
requestLog.info(Events.AUTH_LOGOUT_SUCCESS, { session_duration_s: 3600 })
requestLog.bind({ order_id: 'ORD-1' }).warn(Events.PAYMENT_FRAUD_DETECTED, { risk_score: 0.95, rules_triggered: ['velocity'] })
// @ts-expect-error a bound value of the wrong type does not count: user_id is a string in the catalog
logger.bind({ user_id: 123 }).info(Events.AUTH_LOGIN_SUCCESS)
// @ts-expect-error binding a field does not bind others: username is still required
requestLog.warn(Events.AUTH_LOGIN_FAILED, { reason: 'invalid_password' })

// A bound logger is still a Logger: helpers taking Logger accept it.
function withUserContext (userId: string) {
  return logger.bind({ user_id: userId, user_role: 'admin', tenant_id: 't-1' })
}
const takesLogger = (log: Logger): void => { log.info(Events.USER_FEATURE_ACCESSED, { feature: 'export' }) }
takesLogger(withUserContext('user_123'))
withUserContext('user_123').info(Events.AUTH_PASSWORD_CHANGED)

// timed() with bound fields, and the setter for the closing event.
const apiLog = logger.bind({ endpoint: '/users' })
apiLog.timed('api_call', {}, () => 1)
const rows: Promise<number[]> = logger.timed('database_query', { table: 'users', operation: 'SELECT' }, async (add) => {
  const result = [1, 2, 3]
  add({ rows_returned: result.length })
  return result
})
// @ts-expect-error the closing event's declared fields keep their types
logger.timed('database_query', { table: 'users' }, (add) => { add({ rows_returned: 'ten' }) })
// @ts-expect-error the _started event's required field, not bound here
logger.timed('api_call', {}, () => 1)
void rows

// withContext cannot be known statically: its fields never count.
logger.withContext({ user_id: 'user_123' }, () => {
  // @ts-expect-error user_id comes from withContext at runtime, but the compiler cannot know it
  logger.info(Events.AUTH_LOGIN_SUCCESS)
})

// 4. Families of events: the guide's generic error helper.
interface ErrorContext {
  error_type: string
  error_message: string
  error_code?: string
  user_id?: string
  request_id?: string
}
type FailedEvent = EventsMatching<'*_failed'>
function logErrorEvent<E extends FailedEvent> (event: E, error: ErrorContext, fields: FieldsOf<E>): void {
  logger.error(event, { ...fields, ...error })
}
logErrorEvent(Events.PAYMENT_PROCESS_FAILED, { error_type: 'PaymentError', error_message: 'declined', error_code: 'E1001' }, { order_id: 'ORD-123', amount: 99.99, reason: 'insufficient_funds' })
logErrorEvent(Events.DATABASE_QUERY_FAILED, { error_type: 'Timeout', error_message: 'timed out' }, { duration_ms: 5000 })
// @ts-expect-error the event's own required field is missing (reason)
logErrorEvent(Events.PAYMENT_PROCESS_FAILED, { error_type: 'PaymentError', error_message: 'declined' }, { order_id: 'ORD-123', amount: 99.99 })
// @ts-expect-error not a _failed event
logErrorEvent(Events.PAYMENT_PROCESS_SUCCESS, { error_type: 'x', error_message: 'y' }, { order_id: 'o', amount: 1, transaction_id: 't' })
// @ts-expect-error the helper's own fields are checked too
logErrorEvent(Events.DATABASE_QUERY_FAILED, { error_type: 'Timeout' }, { duration_ms: 5000 })

// The guide's order-event helper: one schema of fields, logged as any order event that schema satisfies.
interface OrderEvent {
  order_id: string
  customer_id: string
  total_amount: number
  currency: string
  items_count: number
  status: string
}
type OrderFields = Omit<OrderEvent, 'status'> & { order_status: string }
type OrderEventName = EventsWith<OrderFields, 'order_*'>
function logOrderEvent (event: OrderEventName, order: OrderEvent): void {
  const { status, ...rest } = order
  logger.info(event, { ...rest, order_status: status })
}
const order: OrderEvent = { order_id: 'ORD-123', customer_id: 'cust_456', total_amount: 99.99, currency: 'USD', items_count: 3, status: 'pending' }
logOrderEvent(Events.ORDER_CREATE_SUCCESS, order)
logOrderEvent(Events.ORDER_PROCESS_STARTED, order)
logOrderEvent(Events.ORDER_FULFILL_COMPLETED, order)
// @ts-expect-error order_fulfill_failed also requires reason, which the schema does not have
logOrderEvent(Events.ORDER_FULFILL_FAILED, order)
// @ts-expect-error not an order event
logOrderEvent(Events.PAYMENT_PROCESS_STARTED, order)

// The families themselves.
const failed: FailedEvent = Events.AUTH_LOGIN_FAILED
// @ts-expect-error not matching *_failed
const notFailed: FailedEvent = Events.AUTH_LOGIN_SUCCESS
const authOrCache: EventsMatching<'auth_*_success' | 'cache_*'>[] = [Events.AUTH_LOGIN_SUCCESS, Events.AUTH_LOGOUT_SUCCESS, Events.CACHE_LOOKUP_HIT]
// @ts-expect-error auth_login_failed matches neither pattern
const notAuthSuccess: EventsMatching<'auth_*_success' | 'cache_*'> = Events.AUTH_LOGIN_FAILED
// The fields every member of a family needs at once.
const fulfill: FamilyFields<'order_fulfill_started' | 'order_fulfill_failed'> = { order_id: 'o', reason: 'r' }
// @ts-expect-error reason is declared by one member, so one object for the whole family needs it
const fulfillPartial: FamilyFields<'order_fulfill_started' | 'order_fulfill_failed'> = { order_id: 'o' }
void fulfillOrder; void failed; void notFailed; void authOrCache; void notAuthSuccess; void fulfill; void fulfillPartial

// Type tests: compiled by test/types/types.test.ts. Every @ts-expect-error must be an error;
// if the typing regresses and one compiles, tsc reports the unused directive and the test fails.
import { createLogger, Events, type EventName, type FieldsOf, type Logger, sampling, masking, batching } from 'daslog'

const log: Logger = createLogger()

// Correct calls compile, with extra undeclared fields allowed.
log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1', duration_ms: 45, ip_address: '10.0.0.1' })
log.info('auth_login_success', { user_id: 'u1' })
log.warn(Events.AUTH_LOGIN_FAILED, { username: 'alice', reason: 'invalid_password' })
log.info(Events.NOTIFICATION_SEND_STARTED)
log.info(Events.AUTH_LOGIN_STARTED, { username: 'a', source: 'web' })
log.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o', amount: 1, reason: 'r', err: new Error('x') })
log.warn(Events.PAYMENT_FRAUD_DETECTED, { order_id: 'o', user_id: 'u', risk_score: 0.9, rules_triggered: ['velocity'] })
log.bind('c-1').bind({ tenant: 't' }).info(Events.CACHE_LOOKUP_MISS, { key: 'k' })

// @ts-expect-error an unknown event name
log.info('auth_login_sucess', { user_id: 'u1' })
// @ts-expect-error an unknown event constant
log.info(Events.AUTH_LOGIN_SUCESS, { user_id: 'u1' })
// @ts-expect-error a declared field of the wrong type
log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 42 })
// @ts-expect-error an optional declared field of the wrong type
log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1', duration_ms: '45' })
// @ts-expect-error a missing required field
log.info(Events.AUTH_LOGIN_SUCCESS, { duration_ms: 45 })
// @ts-expect-error missing fields altogether when one is required
log.info(Events.AUTH_LOGIN_SUCCESS)
// @ts-expect-error an array field of the wrong element type
log.warn(Events.PAYMENT_FRAUD_DETECTED, { order_id: 'o', user_id: 'u', risk_score: 0.9, rules_triggered: [1] })

// event() logs at the catalog's level; it is typed like the level methods.
log.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o', amount: 1, reason: 'card_declined', err: new Error('x') })
log.event('auth_login_failed', { username: 'alice', reason: 'invalid_password', ip_address: '10.0.0.1' })
log.event(Events.NOTIFICATION_SEND_STARTED)
log.bind('c-1').bind({ tenant: 't' }).event(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
// @ts-expect-error event(): an unknown event name
log.event('payment_process_faild', { order_id: 'o', amount: 1, reason: 'r' })
// @ts-expect-error event(): a declared field of the wrong type
log.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o', amount: '1', reason: 'r' })
// @ts-expect-error event(): a missing required field
log.event(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o', amount: 1 })
// @ts-expect-error event(): missing fields altogether when one is required
log.event(Events.PAYMENT_PROCESS_FAILED)

// timed takes only operations with a _started event, and their fields.
log.timed('database_query', { table: 'users' }, () => 1)
const later: Promise<string> = log.timed('api_call', { endpoint: '/x' }, async () => 'ok')
// @ts-expect-error not an operation of the catalog
log.timed('database_queri', {}, () => 1)
// @ts-expect-error a required field of the _started event is missing
log.timed('api_call', {}, () => 1)

const name: EventName = Events.PAYMENT_PROCESS_SUCCESS
// @ts-expect-error not an event name
const wrongName: EventName = 'payment_process_ok'
const fields: FieldsOf<'auth_login_success'> = { user_id: 'u' }
void later; void name; void wrongName; void fields

// The built-in processors, as functions or as data; their options are typed.
createLogger({
  config: false,
  sampling: { rate: 0.5, events: { cache_lookup_hit: 0.01 }, keepAtOrAbove: 'warn', by: 'correlation_id', rateLimit: { perEvent: 10, intervalMs: 1000 } },
  masking: { paths: ['user.email'], keys: ['password'], patterns: ['email', 'card', /sk_\w+/, { regex: 'acct-\\d+' }], mode: 'hash', secret: 'x'.repeat(16) },
  batching: { events: ['item_*'], size: 10, intervalMs: 500 },
  processors: [sampling({ rate: 1 }), masking({ keys: ['token'] }), batching({ events: 'item_*' })]
})
// @ts-expect-error keepAtOrAbove is a level name
createLogger({ sampling: { keepAtOrAbove: 'warning' } })
// @ts-expect-error an unknown pattern name
masking({ patterns: ['emails'] })
// @ts-expect-error mode is mask, hash or remove
masking({ keys: ['a'], mode: 'blur' })
// @ts-expect-error batching needs the events it holds
batching({ size: 10 })

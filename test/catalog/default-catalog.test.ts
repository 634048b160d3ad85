import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import t from 'tap'
import { parse } from 'yaml'
import { Events, defaultCatalog } from '../../src/index.js'

const root = new URL('../../', import.meta.url).pathname
const events = defaultCatalog.events

/** Every DAS event name seeds/001 logs (the guide's own examples, as written). */
const seedDasEvents = [
  'auth_login_success', 'auth_login_failed', 'auth_login_started', 'auth_logout_success',
  'auth_token_issued', 'auth_token_expired', 'auth_token_invalid', 'auth_password_changed', 'auth_password_reset_requested',
  'payment_process_started', 'payment_process_success', 'payment_process_failed',
  'payment_refund_initiated', 'payment_refund_completed', 'payment_fraud_detected',
  'payment_charge_started', 'payment_charge_success', 'payment_charge_failed',
  'api_request_started', 'api_request_completed', 'api_request_failed', 'api_ratelimit_exceeded', 'api_validation_failed',
  'database_query_started', 'database_query_completed', 'database_query_slow',
  'database_connection_opened', 'database_connection_failed', 'database_connection_closed',
  'database_transaction_started', 'database_transaction_committed', 'database_transaction_rollback',
  'order_create_success', 'order_process_started', 'order_fulfill_started', 'order_fulfill_completed', 'order_fulfill_failed',
  'inventory_reserve_started', 'inventory_reserve_success', 'inventory_reserve_failed',
  'shipping_create_started', 'shipping_create_success',
  'notification_send_started', 'notification_send_success',
  'user_action_completed'
]

/** seeds/001's names that are not domain_action_status, and the catalog event that carries each. */
const seedRenamed: Record<string, string> = {
  cache_hit: 'cache_lookup_hit',
  cache_miss: 'cache_lookup_miss',
  session_activity: 'session_activity_recorded',
  page_view: 'page_view_started',
  page_exit: 'page_view_ended',
  action_taken: 'user_action_completed',
  user_action: 'user_action_recorded',
  feature_accessed: 'user_feature_accessed',
  data_downloaded: 'user_data_downloaded',
  metrics_summary: 'metrics_summary_reported',
  item_processed: 'item_process_success',
  request_received: 'api_request_started'
}

t.test('every event of seeds/001 is in the default catalog', async (t) => {
  for (const name of seedDasEvents) t.ok(events[name], name)
  for (const [seedName, name] of Object.entries(seedRenamed)) t.ok(events[name], `${seedName} as ${name}`)
})

t.test('the fields seeds/001 logs are declared', async (t) => {
  t.strictSame(events.auth_login_success!.fields.user_id, { type: 'string', optional: false }, 'auth_login_success requires user_id')
  t.strictSame(events.auth_login_failed!.fields, { username: { type: 'string', optional: false }, reason: { type: 'string', optional: false } })
  t.equal(events.auth_login_failed!.level, 'warn')
  t.same(Object.keys(events.payment_process_started!.fields).sort(), ['amount', 'currency', 'order_id', 'payment_method'])
  t.strictSame(events.payment_fraud_detected!.fields.rules_triggered, { type: 'string[]', optional: false })
  t.same(Object.keys(events.api_request_completed!.fields).sort(), ['duration_ms', 'endpoint', 'method', 'path', 'request_id', 'status_code'])
  t.same(Object.keys(events.database_query_slow!.fields).sort(), ['duration_ms', 'operation', 'rows_returned', 'table'])
  t.same(Object.keys(events.order_create_success!.fields).sort(), ['currency', 'customer_id', 'items_count', 'order_id', 'order_status', 'total_amount'])
  t.equal(events.payment_process_success!.audit, true)
})

t.test('the timed operations of seeds/001 have started, completed and failed', async (t) => {
  for (const operation of ['database_query', 'api_call']) {
    for (const status of ['started', 'completed', 'failed']) t.ok(events[`${operation}_${status}`], `${operation}_${status}`)
  }
})

t.test('the Moat event types of seeds/002 are there', async (t) => {
  const moat: Record<string, string[]> = {
    principal: ['principal_create_success', 'principal_update_success', 'principal_delete_success'],
    resource: ['resource_create_success', 'resource_update_success', 'resource_delete_success'],
    ingestion: ['ingestion_run_started', 'ingestion_run_completed', 'ingestion_run_failed'],
    opa: ['opa_status_update_received', 'opa_decision_allowed', 'opa_decision_denied'],
    bundle: ['bundle_rebuild_completed', 'bundle_consume_success']
  }
  for (const [domain, names] of Object.entries(moat)) {
    for (const name of names) {
      t.ok(events[name], name)
      t.equal(events[name]?.domain, domain)
    }
  }
})

t.test('Events maps each constant to its name, and covers the whole catalog', async (t) => {
  t.equal(Events.AUTH_LOGIN_SUCCESS, 'auth_login_success')
  t.equal(Events.AUTH_PASSWORD_RESET_REQUESTED, 'auth_password_reset_requested')
  const values = Object.values(Events)
  t.same([...values].sort(), Object.keys(events).sort())
  for (const [constant, name] of Object.entries(Events)) t.equal(constant, name.toUpperCase())
  t.ok(Object.isFrozen(events))
})

t.test('the JSON Schema accepts the default catalog and rejects what daslog check rejects', async (t) => {
  const schema = JSON.parse(readFileSync(`${root}catalog/catalog.schema.json`, 'utf8')) as object
  const ajv = new Ajv2020({ allErrors: true })
  const validate = ajv.compile(schema)
  t.ok(validate(parse(readFileSync(`${root}catalog/default.yaml`, 'utf8'))), JSON.stringify(validate.errors))
  const bad = [
    { domains: { Auth: { login: { statuses: ['started'] } } } },
    { domains: { auth: { login: { statuses: ['started'], fields: { id: 'uuid' } } } } },
    { domains: { auth: { login: { fields: {} } } } },
    { domains: { auth: { login: { statuses: { failed: { level: 'warning' } } } } } },
    { domains: { auth: { login: { statuses: ['started'] } } }, extra: 1 },
    { statuses: [], domains: { auth: { login: { statuses: ['started'] } } } },
    { include: ['pino'], domains: { auth: { login: { statuses: ['started'] } } } },
    { include: [], domains: { auth: { login: { statuses: ['started'] } } } }
  ]
  t.ok(validate({ statuses: ['placed'], domains: { order: { place: { statuses: ['placed'] } } } }), 'a closed status vocabulary')
  t.ok(validate({ include: ['daslog', '../shared/events.yaml'], domains: { order: { place: { statuses: ['placed'] } } } }), 'include')
  t.ok(validate({ include: 'daslog', domains: { order: { place: { statuses: ['placed'] } } } }), 'include one catalog')
  for (const doc of bad) t.notOk(validate(doc), JSON.stringify(doc))
})

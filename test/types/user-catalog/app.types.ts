// A user's app typed by their own generated catalog, without casts.
// The test generates ./generated/events.ts from catalog.yaml first.
import { createLogger, type EventsMatching, type EventsWith } from 'daslog'
import { catalog, Events, type EventFields, type FieldsOf } from './generated/events.js'

const log = createLogger({ catalog, config: false })

log.info(Events.BILLING_INVOICE_CREATED, { invoice_id: 'in_1', amount: 12.5, tags: ['eu'] })
log.error(Events.BILLING_INVOICE_FAILED, { invoice_id: 'in_1', amount: 12.5, reason: 'card declined', customer: 'c_9' })
log.warn(Events.BILLING_INVOICE_ESCALATED, { invoice_id: 'in_2', amount: 3 })
log.bind('c-1').info('billing_sync_started', { provider: 'stripe' })
const done: Promise<number> = log.timed('billing_sync', { provider: 'stripe' }, async () => 1)

log.event(Events.BILLING_INVOICE_FAILED, { invoice_id: 'in_1', amount: 12.5, reason: 'card declined' })
// @ts-expect-error event(): an event of the default catalog is not in this user's catalog
log.event('payment_process_failed', { order_id: 'o', amount: 1, reason: 'r' })
// @ts-expect-error event(): missing required field from the status's own fields
log.event(Events.BILLING_INVOICE_FAILED, { invoice_id: 'in_1', amount: 12.5 })
// @ts-expect-error an event of the default catalog is not in this user's catalog
log.info('auth_login_success', { user_id: 'u1' })
// @ts-expect-error a misspelled event
log.info('billing_invoice_creatd', { invoice_id: 'in_1', amount: 1 })
// @ts-expect-error wrong field type
log.info(Events.BILLING_INVOICE_CREATED, { invoice_id: 1, amount: 12.5 })
// @ts-expect-error missing required field from the action's fields
log.info(Events.BILLING_INVOICE_CREATED, { invoice_id: 'in_1' })
// @ts-expect-error missing required field from the status's own fields
log.error(Events.BILLING_INVOICE_FAILED, { invoice_id: 'in_1', amount: 1 })
// @ts-expect-error not an operation with a _started event
log.timed('billing_invoice', { invoice_id: 'x', amount: 1 }, () => 1)

// Bound fields count toward this catalog's required fields too.
const invoiceLog = log.bind({ invoice_id: 'in_1', amount: 12.5 })
invoiceLog.info(Events.BILLING_INVOICE_CREATED)
invoiceLog.error(Events.BILLING_INVOICE_FAILED, { reason: 'card declined' })
// @ts-expect-error the reason is not bound
invoiceLog.error(Events.BILLING_INVOICE_FAILED)

// Families over this catalog: its EventFields as the second argument.
type Failed = EventsMatching<'*_failed', EventFields>
function logFailure<E extends Failed> (event: E, fields: FieldsOf<E>, error: { error_message: string }): void {
  log.error(event, { ...fields, ...error })
}
logFailure(Events.BILLING_SYNC_FAILED, { provider: 'stripe' }, { error_message: 'timeout' })
// @ts-expect-error billing_invoice_created is not a _failed event
logFailure(Events.BILLING_INVOICE_CREATED, { invoice_id: 'in_1', amount: 1 }, { error_message: 'x' })
const invoiceEvents: Array<EventsWith<{ invoice_id: string, amount: number }, 'billing_invoice_*', EventFields>> = [Events.BILLING_INVOICE_CREATED, Events.BILLING_INVOICE_ESCALATED]
// @ts-expect-error billing_invoice_failed also requires reason
const needsReason: EventsWith<{ invoice_id: string, amount: number }, 'billing_invoice_*', EventFields> = Events.BILLING_INVOICE_FAILED
void done; void invoiceEvents; void needsReason

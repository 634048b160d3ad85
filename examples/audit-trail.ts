// An audit trail in CSV with your own catalog: npx tsx examples/audit-trail.ts [dir]
//
// examples/billing/catalog.yaml declares the billing events; its invoice
// events are `audit: true`. `daslog generate` turned it into
// examples/billing/events.gen.ts (typed names and fields). With
// `columns: 'audit'`, the csv transport writes exactly the audit events,
// one column per field they declare, and nothing else.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from 'daslog'
import { catalog, Events } from './billing/events.gen.js'

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'daslog-audit-'))
const file = join(dir, 'billing-audit.csv')

const log = createLogger({
  config: false,
  catalog,
  base: { service: 'billing' },
  masking: { patterns: ['card'] },
  transport: {
    target: 'daslog/transports/csv',
    // 'audit' columns: time, level, event, correlation_id, then the audit events' fields, then `data`.
    options: { path: file, columns: 'audit', rotate: { size: 10 * 1024 * 1024, interval: 'daily' }, fsync: true }
  }
})

// A folder made here goes when the example ends, however it ends (after daslog's own exit flush, registered at createLogger).
if (process.argv[2] === undefined) process.on('exit', () => { rmSync(dir, { recursive: true, force: true }) })

const invoice = log.bind('c-inv-1001')
invoice.info(Events.BILLING_INVOICE_CREATED, { invoice_id: 'in_1001', amount: 250, currency: 'EUR' })
invoice.error(Events.BILLING_INVOICE_FAILED, { invoice_id: 'in_1001', amount: 250, reason: 'card 4111 1111 1111 1111 expired' })
invoice.info(Events.BILLING_INVOICE_PAID, { invoice_id: 'in_1001', amount: 250, currency: 'EUR', payment_id: 'pay_77' })
// Typed: a field the catalog does not declare for this event is a compile error;
// this one, `billing_sync_*`, is not an audit event, so it is not in the CSV.
await log.timed('billing_sync', { provider: 'stripe' }, async () => 'synced')
// A spreadsheet formula in a value is written as text, never run.
log.info(Events.BILLING_INVOICE_CREATED, { invoice_id: '=HYPERLINK("http://evil.example","open me")', amount: 1 })

// close() resolves once the rows are on disk (fsync: true also syncs them).
await log.close()
console.log(readFileSync(file, 'utf8').trimEnd())
const [csv] = log.stats()
console.log(`# ${csv!.name}: accepted ${csv!.accepted}, delivered ${csv!.delivered}, dead-lettered ${csv!.deadLettered}`)

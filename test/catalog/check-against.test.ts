import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cli } from './cli.js'
import { tempDir } from '../helpers.js'

const dir = tempDir('check-against')
function catalogFile (name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const oldText = `
domains:
  billing:
    invoice:
      audit: true
      fields: { invoice_id: string, amount: number, note: string? }
      statuses:
        created: {}
        paid: { fields: { payment_id: string } }
        failed: { level: error, fields: { reason: string } }
    refund:
      fields: { refund_id: string }
      statuses: [requested, completed]
  auth:
    login:
      fields: { user_id: string }
      statuses: [started, success]
`
const old = catalogFile('old.yaml', oldText)

/** The old catalog with one edit: `[from, to]` replaced once in its text. */
function changed (name: string, ...edits: Array<[string, string]>): string {
  let text = oldText
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`no ${from} in the catalog`)
    text = text.replace(from, to)
  }
  return catalogFile(name, text)
}

const breakingCases: Array<[string, string, string[]]> = [
  ['an event removed', changed('removed.yaml', ['statuses: [requested, completed]', 'statuses: [requested]']),
    ['daslog: breaking: billing_refund_completed: event removed']],
  ['an event renamed', changed('renamed.yaml', ['statuses: [started, success]', 'statuses: [started, succeeded]']),
    ['daslog: breaking: auth_login_success: event renamed to auth_login_succeeded (same fields)']],
  ['a field removed', changed('field-removed.yaml', ['paid: { fields: { payment_id: string } }', 'paid: {}']),
    ['daslog: breaking: billing_invoice_paid: field "payment_id" removed']],
  ['a type changed', changed('type.yaml', ['fields: { refund_id: string }', 'fields: { refund_id: integer }']),
    ['daslog: breaking: billing_refund_requested: field "refund_id" changed type: string -> integer',
      'daslog: breaking: billing_refund_completed: field "refund_id" changed type: string -> integer']],
  ['a field made required', changed('required.yaml', ['note: string?', 'note: string']),
    ['daslog: breaking: billing_invoice_created: field "note" made required',
      'daslog: breaking: billing_invoice_paid: field "note" made required',
      'daslog: breaking: billing_invoice_failed: field "note" made required']],
  ['a required field added', changed('required-added.yaml', ['failed: { level: error, fields: { reason: string } }', 'failed: { level: error, fields: { reason: string, code: string } }']),
    ['daslog: breaking: billing_invoice_failed: required field "code" (string) added']]
]

for (const [what, file, lines] of breakingCases) {
  t.test(`daslog check --against: ${what} is breaking, exit 1`, async (t) => {
    const result = cli('check', file, '--against', old)
    t.equal(result.code, 1)
    t.strictSame(result.lines, lines)
    t.match(result.err, new RegExp(`old\\.yaml -> .*${file.split('/').pop()!.replace('.', '\\.')}: ${lines.length} breaking changes?, 0 other changes`))
  })
}

t.test('daslog check --against: changes that break nothing are listed as info, exit 0', async (t) => {
  const file = changed('compatible.yaml',
    ['statuses: [requested, completed]', 'statuses: [requested, completed, failed]'],
    ['fields: { refund_id: string }', 'fields: { refund_id: string, reason: string? }'],
    ['note: string?', 'note: string?, tags: "string[]?"'],
    ['failed: { level: error, fields: { reason: string } }', 'failed: { level: warn, fields: { reason: string? } }'],
    ['      audit: true\n', ''])
  const result = cli('check', '--catalog', file, '--against', old)
  t.equal(result.code, 0, result.err)
  t.match(result.lines.pop(), /old\.yaml -> .*compatible\.yaml: 0 breaking changes, 11 other changes$/)
  t.strictSame(result.lines, [
    'daslog: info: billing_invoice_created: optional field "tags" (string[]) added',
    'daslog: info: billing_invoice_created: no longer an audit event',
    'daslog: info: billing_invoice_paid: optional field "tags" (string[]) added',
    'daslog: info: billing_invoice_paid: no longer an audit event',
    'daslog: info: billing_invoice_failed: field "reason" made optional',
    'daslog: info: billing_invoice_failed: optional field "tags" (string[]) added',
    'daslog: info: billing_invoice_failed: level error -> warn',
    'daslog: info: billing_invoice_failed: no longer an audit event',
    'daslog: info: billing_refund_requested: optional field "reason" (string) added',
    'daslog: info: billing_refund_completed: optional field "reason" (string) added',
    'daslog: info: billing_refund_failed: event added'
  ])
  const same = cli('check', old, '--against', old)
  t.equal(same.code, 0)
  t.match(same.lines.at(-1), '0 breaking changes, 0 other changes')
})

t.test('daslog check --against: the default catalog when no new catalog is given; bad arguments exit 2', async (t) => {
  const result = cli('check', '--against', old)
  t.equal(result.code, 1, 'billing events are gone from the default catalog')
  t.ok(result.lines.includes('daslog: breaking: billing_invoice_created: event removed'))
  t.match(result.err, "-> daslog's default catalog:")
  t.equal(cli('check', old, '--catalog', old, '--against', old).code, 2)
  t.equal(cli('check', old, '--against').code, 2)
  t.equal(cli('check', old).code, 0, 'without --against, check validates')
})

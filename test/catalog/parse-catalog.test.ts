import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parseCatalog } from '../../src/catalog/parse-catalog.js'
import { loadCatalogFile, parseCatalogText } from '../../src/catalog/load-catalog.js'
import { catalog as defaultCatalog } from '../../src/catalog/default-catalog.gen.js'
import { CatalogError, isDaslogError } from '../../src/errors.js'

const designExample = `
domains:
  auth:
    login:
      statuses: [started, success, failed]
      fields:
        user_id: string        # required field
        duration_ms: number?   # '?' marks an optional field
    token:
      statuses: [issued, expired, invalid]
    password_reset:
      statuses: [requested]
  payment:
    process:
      statuses: [started, success, failed]
      audit: true
      fields: { order_id: string, amount: number, currency: string }
`

t.test('the DESIGN.md catalog shape expands into domain_action_status events', async (t) => {
  const catalog = parseCatalog(parseCatalogText(designExample, 'catalog.yaml'))
  t.same(Object.keys(catalog.events), [
    'auth_login_started', 'auth_login_success', 'auth_login_failed',
    'auth_token_issued', 'auth_token_expired', 'auth_token_invalid',
    'auth_password_reset_requested',
    'payment_process_started', 'payment_process_success', 'payment_process_failed'
  ])
  t.strictSame(catalog.events.auth_login_success, {
    domain: 'auth',
    action: 'login',
    status: 'success',
    audit: false,
    fields: { user_id: { type: 'string', optional: false }, duration_ms: { type: 'number', optional: true } }
  })
  t.strictSame(catalog.events.auth_password_reset_requested, {
    domain: 'auth', action: 'password_reset', status: 'requested', audit: false, fields: {}
  })
  t.equal(catalog.events.payment_process_failed!.audit, true)
})

t.test('a status map adds its own fields and level to the action fields', async (t) => {
  const catalog = parseCatalog(parseCatalogText(`
domains:
  auth:
    login:
      fields: { source: string? }
      statuses:
        started: {}
        success: { fields: { user_id: string } }
        failed: { level: warn, fields: { username: string, reason: string } }
        expired:
`, 'c.yaml'))
  t.strictSame(catalog.events.auth_login_started, { domain: 'auth', action: 'login', status: 'started', audit: false, fields: { source: { type: 'string', optional: true } } })
  t.strictSame(catalog.events.auth_login_failed, {
    domain: 'auth',
    action: 'login',
    status: 'failed',
    audit: false,
    level: 'warn',
    fields: {
      source: { type: 'string', optional: true },
      username: { type: 'string', optional: false },
      reason: { type: 'string', optional: false }
    }
  })
  t.ok(catalog.events.auth_login_expired, 'a status with an empty body is declared')
})

t.test('every field type parses, "?" makes it optional', async (t) => {
  const catalog = parseCatalog({
    domains: { a: { b: { statuses: ['started'], fields: { s: 'string', n: 'number?', i: 'integer', f: 'boolean?', ss: 'string[]', ns: 'number[]?', o: 'object' } } } }
  })
  t.strictSame(catalog.events.a_b_started!.fields, {
    s: { type: 'string', optional: false },
    n: { type: 'number', optional: true },
    i: { type: 'integer', optional: false },
    f: { type: 'boolean', optional: true },
    ss: { type: 'string[]', optional: false },
    ns: { type: 'number[]', optional: true },
    o: { type: 'object', optional: false }
  })
})

t.test('any well-formed status word is accepted by default: the catalog is the vocabulary', async (t) => {
  const natural = ['placed', 'shipped', 'paid', 'overdue', 'refunded', 'canceled', 'partially_refunded', 'v2_migrated']
  const catalog = parseCatalog({ domains: { order: { lifecycle: { statuses: natural } } } })
  t.same(Object.keys(catalog.events), natural.map((status) => `order_lifecycle_${status}`))
  t.equal(catalog.events.order_lifecycle_canceled!.status, 'canceled')
})

t.test('a top-level "statuses" list closes the vocabulary: a status outside it is an error that suggests near matches', async (t) => {
  const closed = { statuses: ['placed', 'shipped', 'cancelled', 'escalated'], domains: { order: { lifecycle: { statuses: ['placed', 'shipped', 'cancelled'] } }, ticket: { triage: { statuses: ['escalated'] } } } }
  t.same(Object.keys(parseCatalog(closed).events), ['order_lifecycle_placed', 'order_lifecycle_shipped', 'order_lifecycle_cancelled', 'ticket_triage_escalated'])

  const error = t.throws(() => parseCatalog({ ...closed, domains: { order: { lifecycle: { statuses: ['placed', 'canceled', 'delivered'] } } } }, 'orders.yaml')) as CatalogError
  t.ok(error instanceof CatalogError)
  t.strictSame(error.problems, [
    { entry: 'domains.order.lifecycle.statuses.canceled', rule: 'status "canceled" is not in the catalog\'s top-level "statuses" list (did you mean "cancelled"?)' },
    { entry: 'domains.order.lifecycle.statuses.delivered', rule: 'status "delivered" is not in the catalog\'s top-level "statuses" list (add it there if it is meant)' }
  ])
  t.equal(error.message, [
    'orders.yaml: domains.order.lifecycle.statuses.canceled: status "canceled" is not in the catalog\'s top-level "statuses" list (did you mean "cancelled"?)',
    'orders.yaml: domains.order.lifecycle.statuses.delivered: status "delivered" is not in the catalog\'s top-level "statuses" list (add it there if it is meant)'
  ].join('\n'))
})

t.test('every problem of a document is reported at once, in the order of the document', async (t) => {
  const error = t.throws(() => parseCatalog({
    domains: {
      order: {
        place: { statuses: ['placed', 'réussi'], fields: { total: 'money', event: 'string' } },
        ship: { statuses: { shipped: { level: 'warning' } }, lvel: 'warn' }
      },
      Pay: { charge: { statuses: ['paid'] } }
    }
  }, 'shop.yaml')) as CatalogError
  t.strictSame(error.problems.map((problem) => problem.entry), [
    'domains.order.place.fields.total',
    'domains.order.place.fields.event',
    'domains.order.place.statuses.réussi',
    'domains.order.ship.lvel',
    'domains.order.ship.statuses.shipped.level',
    'domains.Pay'
  ])
  t.equal(error.entry, 'domains.order.place.fields.total', 'entry and rule are the first problem')
  t.match(error.rule, /unknown field type "money"/)
  t.match(error.problems[3]!.rule, /unknown key "lvel" \(did you mean "level"\?\)/)
  t.equal(error.message.split('\n').length, 6, 'one line per problem')
  for (const line of error.message.split('\n')) t.match(line, /^shop\.yaml: domains\.\S+: /)
})

t.test('include: [daslog] adds the default catalog\'s events before the catalog\'s own', async (t) => {
  const own = { domains: { shop: { order: { statuses: ['placed', 'shipped'], fields: { order_id: 'string' } } } } }
  const defaultNames = Object.keys(defaultCatalog.events)
  for (const include of [['daslog'], 'daslog']) {
    const catalog = parseCatalog({ include, ...own })
    t.same(Object.keys(catalog.events), [...defaultNames, 'shop_order_placed', 'shop_order_shipped'])
    t.strictSame(catalog.events.auth_login_success, defaultCatalog.events.auth_login_success)
    t.ok(catalog.events.database_query_started && catalog.events.database_query_completed && catalog.events.database_query_failed)
  }
  t.same(Object.keys(parseCatalog(own).events), ['shop_order_placed', 'shop_order_shipped'], 'without include, the catalog replaces the default one')
  const closed = parseCatalog({ include: ['daslog'], statuses: ['placed'], domains: { shop: { order: { statuses: ['placed'] } } } })
  t.ok(closed.events.auth_login_success, 'a closed vocabulary applies to the catalog\'s own statuses, not to the included ones')
})

t.test('an event declared both by an included catalog and by the catalog itself is an error naming both', async (t) => {
  const error = t.throws(() => parseCatalog({
    include: ['daslog'],
    domains: { auth: { login: { statuses: ['success', 'mfa_required'] } }, database: { query: { statuses: ['started'] } } }
  }, 'app.yaml')) as CatalogError
  t.strictSame(error.problems, [
    { entry: 'domains.auth.login.statuses.success', rule: 'duplicate event "auth_login_success", already declared at include[0] (daslog\'s default catalog)' },
    { entry: 'domains.database.query.statuses.started', rule: 'duplicate event "database_query_started", already declared at include[0] (daslog\'s default catalog)' }
  ])
})

t.test('include names daslog or catalog files', async (t) => {
  const domains = { shop: { order: { statuses: ['placed'] } } }
  const cases: Array<[unknown, string, RegExp]> = [
    [['daslogg'], 'include[0]', /unknown catalog "daslogg" \(did you mean "daslog"\?\)/],
    [['pino'], 'include[0]', /unknown catalog "pino" \(include "daslog" for daslog's default catalog, or the path of a \.yaml, \.yml or \.json catalog file\)/],
    [[], 'include', /a list of catalogs/],
    [[3], 'include[0]', /a string, got 3/],
    [['daslog', 'daslog'], 'include[1]', /included twice/],
    [['./shared.yaml'], 'include[0]', /included when the catalog is itself read from a file/]
  ]
  for (const [include, entry, rule] of cases) {
    const error = t.throws(() => parseCatalog({ include, domains }, 'app.yaml')) as CatalogError
    t.equal(error.entry, entry, JSON.stringify(include))
    t.match(error.rule, rule)
  }
})

t.test('a catalog file includes other catalog files, relative to itself', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'daslog-include-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  mkdirSync(join(dir, 'shared'))
  const app = join(dir, 'app.yaml')
  const stock = join(dir, 'shared', 'stock.yaml')
  writeFileSync(app, 'include: [daslog, shared/stock.yaml]\ndomains:\n  shop:\n    order:\n      statuses: [placed]\n')
  writeFileSync(stock, 'domains:\n  stock:\n    item:\n      statuses: { reserved: { level: warn, fields: { sku: string } } }\n')
  const events = loadCatalogFile(app).events
  t.same(Object.keys(events).slice(-2), ['stock_item_reserved', 'shop_order_placed'])
  t.strictSame(events.stock_item_reserved, { domain: 'stock', action: 'item', status: 'reserved', audit: false, level: 'warn', fields: { sku: { type: 'string', optional: false } } })
  t.ok(events.auth_login_success)

  writeFileSync(stock, 'domains:\n  auth:\n    login:\n      statuses: [success]\n')
  const duplicate = t.throws(() => loadCatalogFile(app)) as CatalogError
  t.equal(duplicate.message, `${app}: include[1]: duplicate event "auth_login_success": in include[1] (shared/stock.yaml) and in include[0] (daslog's default catalog)`)

  writeFileSync(stock, 'domains:\n  stock:\n    item:\n      statuses: [reserved]\n      fields: { sku: uuid }\n')
  const invalid = t.throws(() => loadCatalogFile(app)) as CatalogError
  t.equal(invalid.entry, 'include[1]')
  t.match(invalid.rule, `cannot include "shared/stock.yaml": ${stock}: domains.stock.item.fields.sku: unknown field type "uuid"`)

  writeFileSync(stock, 'include: [../app.yaml]\ndomains:\n  stock:\n    item:\n      statuses: [reserved]\n')
  const cycle = t.throws(() => loadCatalogFile(app)) as CatalogError
  t.match(cycle.message, /a catalog cannot include itself \(.*app\.yaml includes .*stock\.yaml includes .*app\.yaml\)/)

  const missing = t.throws(() => parseCatalog({ include: ['nope.yaml'], domains: { a: { b: { statuses: ['c'] } } } }, app, { includeFile: (path) => loadCatalogFile(join(dir, path)) })) as CatalogError
  t.match(missing.rule, /cannot include "nope\.yaml": .*nope\.yaml: \(file\): cannot read the catalog/)
})

const invalid: Array<[string, unknown, string, RegExp]> = [
  ['not a mapping', [1, 2], '(root)', /mapping/],
  ['no domains', { description: 'x' }, 'domains', /at least one domain/],
  ['unknown top-level key', { domains: { a: { b: { statuses: ['started'] } } }, version: 2 }, '(root).version', /unknown key "version"/],
  ['uppercase domain', { domains: { Auth: { login: { statuses: ['started'] } } } }, 'domains.Auth', /lowercase ASCII words/],
  ['domain with a dash', { domains: { 'au-th': { login: { statuses: ['started'] } } } }, 'domains.au-th', /lowercase ASCII words/],
  ['bad action name', { domains: { auth: { 'log in': { statuses: ['started'] } } } }, 'domains.auth.log in', /lowercase ASCII words/],
  ['action without statuses', { domains: { auth: { login: { fields: {} } } } }, 'domains.auth.login.statuses', /needs "statuses"/],
  ['empty statuses', { domains: { auth: { login: { statuses: [] } } } }, 'domains.auth.login.statuses', /at least one status/],
  ['status outside a closed vocabulary', { statuses: ['success'], domains: { auth: { login: { statuses: ['sucess'] } } } }, 'domains.auth.login.statuses.sucess', /not in the catalog's top-level "statuses" list \(did you mean "success"\?\)/],
  ['statuses not a list', { statuses: 'paid', domains: { a: { b: { statuses: ['paid'] } } } }, 'statuses', /non-empty list of words/],
  ['empty statuses list', { statuses: [], domains: { a: { b: { statuses: ['paid'] } } } }, 'statuses', /non-empty list of words/],
  ['malformed word in the statuses list', { statuses: ['paid', 'Shipped'], domains: { a: { b: { statuses: ['paid'] } } } }, 'statuses[1]', /"Shipped" is not lowercase ASCII words/],
  ['non-ASCII status', { domains: { auth: { login: { statuses: ['réussi'] } } } }, 'domains.auth.login.statuses.réussi', /lowercase ASCII words/],
  ['duplicate status in a list', { domains: { auth: { login: { statuses: ['started', 'started'] } } } }, 'domains.auth.login.statuses[1]', /duplicate status/],
  ['unknown field type', { domains: { auth: { login: { statuses: ['started'], fields: { user_id: 'uuid' } } } } }, 'domains.auth.login.fields.user_id', /unknown field type "uuid"/],
  ['field type not a string', { domains: { auth: { login: { statuses: ['started'], fields: { n: 3 } } } } }, 'domains.auth.login.fields.n', /unknown field type 3/],
  ['bad field name', { domains: { auth: { login: { statuses: ['started'], fields: { 'user-id': 'string' } } } } }, 'domains.auth.login.fields.user-id', /not an identifier/],
  ['reserved field name', { domains: { auth: { login: { statuses: ['started'], fields: { event: 'string' } } } } }, 'domains.auth.login.fields.event', /reserved/],
  ['unknown action key', { domains: { auth: { login: { statuses: ['started'], field: {} } } } }, 'domains.auth.login.field', /unknown key "field"/],
  ['bad level', { domains: { auth: { login: { statuses: { failed: { level: 'warning' } } } } } }, 'domains.auth.login.statuses.failed.level', /unknown level "warning"/],
  ['audit not a boolean', { domains: { auth: { login: { statuses: ['started'], audit: 'yes' } } } }, 'domains.auth.login.audit', /true or false/],
  ['conflicting field types', { domains: { auth: { login: { fields: { id: 'string' }, statuses: { started: { fields: { id: 'number' } } } } } } }, 'domains.auth.login.statuses.started.fields.id', /declared as number here but as string/],
  ['duplicate event from two spellings', {
    domains: { auth: { password_reset: { statuses: ['requested'] } }, auth_password: { reset: { statuses: ['requested'] } } }
  }, 'domains.auth_password.reset.statuses.requested', /duplicate event "auth_password_reset_requested", already declared at domains\.auth\.password_reset\.statuses\.requested/]
]

for (const [name, doc, entry, rule] of invalid) {
  t.test(`invalid: ${name}`, async (t) => {
    const error = t.throws(() => parseCatalog(doc, 'my-catalog.yaml')) as CatalogError
    t.ok(error instanceof CatalogError, 'a CatalogError')
    t.ok(isDaslogError(error))
    t.equal(error.code, 'DASLOG_CATALOG')
    t.equal(error.entry, entry, 'names the entry')
    t.match(error.rule, rule, 'names the rule')
    t.match(error.message, `my-catalog.yaml: ${entry}: `, 'the message names the file and the entry')
  })
}

t.test('YAML duplicate keys and syntax errors are catalog errors with line, column and the code frame', async (t) => {
  const dup = t.throws(() => parseCatalogText('domains:\n  auth:\n    login: { statuses: [started] }\n  auth:\n    x: {}\n', 'c.yaml')) as CatalogError
  t.equal(dup.code, 'DASLOG_CATALOG')
  t.equal(dup.entry, 'line 4, column 3')
  t.equal(dup.message, [
    'c.yaml: line 4, column 3: not valid YAML: Map keys must be unique',
    '    login: { statuses: [started] }',
    '  auth:',
    '  ^'
  ].join('\n'), 'the yaml library\'s code frame is kept, and no line ends on a dangling colon')
  const tabs = t.throws(() => parseCatalogText('domains:\n\tauth: {}\n', 'tabs.yaml')) as CatalogError
  t.equal(tabs.entry, 'line 2, column 1')
  t.equal(tabs.rule, 'not valid YAML: Tabs are not allowed as indentation\ndomains:\n\tauth: {}\n^')
  const json = t.throws(() => parseCatalogText('{ "domains": ', 'c.json')) as CatalogError
  t.match(json.rule, /not valid JSON/)
})

// validate: 'warn' | 'strict' — records checked against the catalog, never thrown at, never dropped.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, createLogger, Events } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { base, tempDir, withoutTime } from '../helpers.js'

/** Collects the DASLOG_SCHEMA warnings until `stop()` (which first lets the pending ones arrive: they are emitted on the next tick). */
function schemaWarnings (): { stop: () => Promise<string[]> } {
  const warnings: string[] = []
  const listener = (warning: Error & { code?: string }): void => { if (warning.code === 'DASLOG_SCHEMA') warnings.push(warning.message) }
  process.on('warning', listener)
  return {
    async stop () {
      await new Promise((resolve) => setImmediate(resolve))
      process.off('warning', listener)
      return warnings
    }
  }
}

type Loose = Record<'info' | 'warn' | 'event', (event: unknown, fields?: unknown) => void>
const loose = (logger: unknown): Loose => logger as Loose

t.test("'warn': the record is written as it is; one warning per event names the event and the field", async (t) => {
  const warnings = schemaWarnings()
  const { logger, records } = createTestLogger({ validate: 'warn' })
  const log = loose(logger)
  log.info('auth_login_success', { duration_ms: 5 })
  log.info('auth_login_success', {})
  log.info('auth_login_success', { user_id: 7 })
  log.warn('auth_login_failed', { username: 'alice', reason: 42 })
  log.info('auth_login_sucess', { user_id: 'u' })
  log.info('auth_login_sucess', { user_id: 'u' })
  logger.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  t.strictSame(records.map(withoutTime), [
    { level: 30, ...base, duration_ms: 5, event: 'auth_login_success' },
    { level: 30, ...base, event: 'auth_login_success' },
    { level: 30, ...base, user_id: 7, event: 'auth_login_success' },
    { level: 40, ...base, username: 'alice', reason: 42, event: 'auth_login_failed' },
    { level: 30, ...base, user_id: 'u', event: 'auth_login_sucess' },
    { level: 30, ...base, user_id: 'u', event: 'auth_login_sucess' },
    { level: 30, ...base, user_id: 'u1', event: 'auth_login_success' }
  ], 'every record written, none changed')
  t.strictSame(await warnings.stop(), [
    'daslog: auth_login_success: missing required field "user_id" (string) (validate: \'warn\'; reported once per event)',
    'daslog: auth_login_failed: field "reason" should be string, got integer (validate: \'warn\'; reported once per event)',
    'daslog: auth_login_sucess: not an event of the catalog (validate: \'warn\'; reported once per event)'
  ])
})

t.test("'strict': every record with a problem carries schema_errors naming each problem; valid ones are untouched", async (t) => {
  const warnings = schemaWarnings()
  const { logger, records } = createTestLogger({ validate: 'strict' })
  const log = loose(logger)
  log.info('payment_process_started', { order_id: 1, currency: 'EUR' })
  log.info('payment_process_started', { order_id: 'o1', amount: 5, currency: 'EUR' })
  log.info('payment_process_started')
  log.info('no_such_event', 'text')
  log.info('metrics_summary_reported', { metrics: [1] })
  log.info('cache_lookup_hit', new Error('as fields'))
  t.strictSame(records.map(withoutTime).map(({ err, ...rest }) => err === undefined ? rest : { ...rest, err: (err as { message: string }).message }), [
    { level: 30, ...base, order_id: 1, currency: 'EUR', schema_errors: ['field "order_id" should be string, got integer', 'missing required field "amount" (number)'], event: 'payment_process_started' },
    { level: 30, ...base, order_id: 'o1', amount: 5, currency: 'EUR', event: 'payment_process_started' },
    { level: 30, ...base, schema_errors: ['missing required field "order_id" (string)', 'missing required field "amount" (number)', 'missing required field "currency" (string)'], event: 'payment_process_started' },
    { level: 30, ...base, value: 'text', schema_errors: ['not an event of the catalog'], event: 'no_such_event' },
    { level: 30, ...base, metrics: [1], schema_errors: ['field "metrics" should be object, got an array'], event: 'metrics_summary_reported' },
    { level: 30, ...base, err: 'as fields', schema_errors: ['missing required field "key" (string)'], event: 'cache_lookup_hit' }
  ])
  t.equal((await warnings.stop()).length, 4, 'one warning per event, strict too')
})

t.test('required fields may come from bind(), withContext() or pino\'s base: they count', async (t) => {
  const warnings = schemaWarnings()
  for (const validate of ['warn', 'strict'] as const) {
    const { logger, records } = createTestLogger({ validate, base: { ...base, service: 'shop' }, catalog: { events: {
      shop_order_placed: { domain: 'shop', action: 'order', status: 'placed', audit: false, fields: {
        order_id: { type: 'string', optional: false },
        tenant: { type: 'string', optional: false },
        request_id: { type: 'string', optional: false },
        service: { type: 'string', optional: false }
      } }
    } } as never })
    const log = loose(logger.bind({ tenant: 'acme' }))
    logger.withContext({ request_id: 'r1' }, () => { log.info('shop_order_placed', { order_id: 'o1' }) })
    loose(logger.bind('c-1').bind({ tenant: 'acme', order_id: 'o2' })).info('shop_order_placed', { request_id: 'r2' })
    t.strictSame(records.map((r) => r.schema_errors), [undefined, undefined], `${validate}: no schema_errors`)
    log.info('shop_order_placed', { order_id: 'o3', tenant: 5 })
    t.strictSame(records[2]!.schema_errors ?? 'none', validate === 'strict' ? ['field "tenant" should be string, got integer', 'missing required field "request_id" (string)'] : 'none',
      `${validate}: the call's value is the one checked (it is the one the record shows)`)
    t.equal(records[2]!.tenant, 5)
  }
  t.strictSame(await warnings.stop(), [
    'daslog: shop_order_placed: field "tenant" should be string, got integer; missing required field "request_id" (string) (validate: \'warn\'; reported once per event)',
    'daslog: shop_order_placed: field "tenant" should be string, got integer; missing required field "request_id" (string) (validate: \'strict\'; reported once per event)'
  ], 'no false warning for fields from bind, withContext or base')
})

t.test('a validating logger never throws and never drops: hostile fields and names, through processors and event()', async (t) => {
  const warnings = schemaWarnings()
  const { logger, records } = createTestLogger({ validate: 'strict', masking: { keys: ['password'] }, sampling: { rate: 1 } })
  const log = loose(logger)
  const circular: Record<string, unknown> = { user_id: 'u' }
  circular.self = circular
  const throwing = { get user_id (): string { throw new Error('getter') } }
  const throwingOther = { get other (): string { throw new Error('getter') } }
  const calls: Array<[unknown, unknown]> = [
    [undefined, undefined], [42, { a: 1 }], [{ not: 'a name' }, undefined], ['__proto__', { a: 1 }], ['constructor', {}],
    ['auth_login_success', circular], ['auth_login_success', throwing], ['auth_login_success', throwingOther],
    ['auth_login_success', { user_id: 'u', password: 'hunter2' }], ['auth_login_success', 10n], ['x'.repeat(100_000), { a: 1 }],
    ['auth_login_success', { toString: 1, constructor: 'c', user_id: 'u' }], ['bad\u001b[31mname', {}]
  ]
  for (const [event, fields] of calls) {
    t.doesNotThrow(() => { log.info(event, fields) }, `info(${String(event).slice(0, 20)})`)
    t.doesNotThrow(() => { log.event(event, fields) }, `event(${String(event).slice(0, 20)})`)
  }
  t.equal(records.length, calls.length * 2, 'every call wrote its record')
  t.strictSame(records[16]!.password, '[REDACTED]', 'masking still applies after validation')
  t.equal(records[16]!.schema_errors, undefined)
  t.match(records[14], { schema_errors: ['missing required field "user_id" (string)'], other: '[Unserializable: Error: getter]' }, 'a throwing getter elsewhere: schema_errors still added, the getter replaced by a marker')
  t.equal(records[22]!.schema_errors, undefined, 'own user_id, and toString/constructor fields that are not declared')
  const seen = await warnings.stop()
  t.ok(seen.every((w) => !w.includes('\u001b')), 'no control characters reach the warning')
  t.ok(seen.every((w) => w.length < 400), 'a huge name is cut')
})

t.test('validate is off by default (createLogger), strict by default in createTestLogger, and accepted in a config file', async (t) => {
  const lines: string[] = []
  const destination = { write: (line: string) => { lines.push(line) } }
  const plain = createLogger({ config: false }, destination)
  loose(plain).info('unknown_event_here', {})
  t.notMatch(lines[0], 'schema_errors')
  const { logger, records } = createTestLogger()
  loose(logger).info('unknown_event_here', {})
  t.strictSame(records[0]!.schema_errors, ['not an event of the catalog'])
  const off = createTestLogger({ validate: false })
  loose(off.logger).info('unknown_event_here', {})
  t.equal(off.records[0]!.schema_errors, undefined)

  const dir = tempDir('validate-config')
  writeFileSync(join(dir, 'pino.config.json'), '{ "validate": "strict" }\n')
  const fromFile = createLogger({ config: join(dir, 'pino.config.json') }, destination)
  loose(fromFile).info('unknown_event_here', {})
  t.match(lines[1], '"schema_errors":["not an event of the catalog"]')

  t.throws(() => createLogger({ config: false, validate: 'loud' as never }), { name: 'ConfigError', option: 'validate', message: /Invalid option "validate": expected 'warn', 'strict' or false, got "loud"/ })
  writeFileSync(join(dir, 'bad.json'), '{ "validate": true }\n')
  t.throws(() => createLogger({ config: join(dir, 'bad.json') }), ConfigError)
  await schemaWarnings().stop()
})

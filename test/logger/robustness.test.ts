import t from 'tap'
import fc from 'fast-check'
import pino from 'pino'
import { Events } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { base, withoutTime } from '../helpers.js'

// Untyped on purpose: these are the calls a JavaScript caller (or bad data) makes.
type Loose = (event: unknown, fields?: unknown) => void
const untyped = (logger: object): { info: Loose } => logger as { info: Loose }

t.test('a circular reference is written with a marker', async (t) => {
  const { logger, records } = createTestLogger()
  const order: Record<string, unknown> = { id: 'o1' }
  order.self = order
  order.items = [order]
  logger.info(Events.ORDER_PROCESS_STARTED, { order_id: 'o1', order })
  t.strictSame(withoutTime(records[0]), {
    level: 30, ...base, order_id: 'o1', order: { id: 'o1', self: '[Circular]', items: ['[Circular]'] }, event: 'order_process_started'
  })
})

t.test('a BigInt is written as its exact decimal string, at any depth', async (t) => {
  const { logger, records } = createTestLogger()
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i', big: 2n ** 64n + 1n, nested: { list: [1n, -99999999999999999999n] } })
  t.equal(records[0]!.big, '18446744073709551617')
  t.strictSame(records[0]!.nested, { list: ['1', '-99999999999999999999'] })
})

t.test('a throwing getter or toJSON is replaced by a marker; the rest of the record stays', async (t) => {
  // validate off: the records as written without the catalog check (test/logger/validate.test.ts has it on)
  const { logger, records } = createTestLogger({ validate: false })
  const hostile = { ok: 1, get secret (): string { throw new Error('no access') } }
  const badJson = { toJSON () { throw new Error('cannot') } }
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i1', hostile, badJson })
  untyped(logger).info(Events.ITEM_PROCESS_SUCCESS, hostile)
  t.strictSame(withoutTime(records[0]), {
    level: 30, ...base, item_id: 'i1', hostile: { ok: 1, secret: '[Unserializable: Error: no access]' }, badJson: '[Unserializable: Error: cannot]', event: 'item_process_success'
  })
  t.strictSame(withoutTime(records[1]), { level: 30, ...base, ok: 1, secret: '[Unserializable: Error: no access]', event: 'item_process_success' })
})

t.test('a huge string and deep nesting still give one valid record', async (t) => {
  const { logger, records } = createTestLogger()
  const huge = 'x'.repeat(5_000_000)
  let deep: Record<string, unknown> = { leaf: true }
  for (let i = 0; i < 5000; i++) deep = { deep }
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i', huge })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'j', deep })
  t.equal(records.length, 2)
  // Cut to maxStringLength (100,000 by default), with a marker saying how much.
  t.equal(records[0]!.huge, `${'x'.repeat(100_000)}...[truncated 4900000 characters]`)
  t.equal(records[1]!.item_id, 'j')
  t.type(records[1]!.deep, 'object')
})

t.test('untyped callers: unknown names, non-object fields, an Error as fields, no event', async (t) => {
  // validate off: the records as written without the catalog check (test/logger/validate.test.ts has it on)
  const { logger, records } = createTestLogger({ validate: false })
  const loose = untyped(logger)
  loose.info('not_in_the_catalog', { a: 1 })
  loose.info('text_field_given', 'hello')
  loose.info('number_given', 42)
  loose.info('null_given', null)
  logger.error(Events.API_REQUEST_FAILED, new Error('boom') as never)
  loose.info(undefined)
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, a: 1, event: 'not_in_the_catalog' })
  t.strictSame(withoutTime(records[1]), { level: 30, ...base, value: 'hello', event: 'text_field_given' })
  t.strictSame(withoutTime(records[2]), { level: 30, ...base, value: 42, event: 'number_given' })
  t.strictSame(withoutTime(records[3]), { level: 30, ...base, event: 'null_given' })
  t.equal(records[4]!.event, 'api_request_failed')
  t.equal((records[4]!.err as { message: string }).message, 'boom')
  t.strictSame(withoutTime(records[5]), { level: 30, ...base })
})

t.test('bound context pino cannot serialize is bound as a safe copy', async (t) => {
  const { logger, records } = createTestLogger()
  const tenant = { id: 't1', get plan (): string { throw new Error('lazy') } }
  const child = logger.bind({ tenant, big: 10n })
  child.info(Events.NOTIFICATION_SEND_STARTED)
  t.strictSame(withoutTime(records[0]), {
    level: 30, ...base, tenant: { id: 't1', plan: '[Unserializable: Error: lazy]' }, big: '10', event: 'notification_send_started'
  })
})

t.test('a destination that throws never makes the log call throw', async (t) => {
  const { logger } = createTestLogger()
  const stream = (logger.pino as unknown as Record<symbol, { write: (line: string) => void }>)[pino.symbols.streamSym]!
  stream.write = () => { throw new Error('disk full') }
  const warnings: string[] = []
  const onWarning = (w: Error): void => { warnings.push(w.message) }
  process.on('warning', onWarning)
  t.doesNotThrow(() => logger.info(Events.NOTIFICATION_SEND_STARTED))
  t.doesNotThrow(() => logger.info(Events.NOTIFICATION_SEND_STARTED))
  await new Promise((resolve) => setImmediate(resolve))
  process.off('warning', onWarning)
  t.same(warnings, ['daslog: a record could not be written to its destination: Error: disk full'], 'reported once')
})

/** Arbitrary hostile values: anything JSON can't hold, plus odd strings. */
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.bigInt(),
    fc.double(),
    fc.constantFrom(undefined, null, Symbol('s'), () => 1, new Date(Number.NaN), new Map([[1, 2]]), new Set([1]), Buffer.from('hi'), new Error('e')),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 })
  )
})).value

t.test('property: any fields give exactly one valid JSON line and never throw', async (t) => {
  const { logger, records, clear } = createTestLogger()
  const loose = untyped(logger)
  fc.assert(fc.property(fc.dictionary(fc.string(), hostileValue, { maxKeys: 6 }), fc.boolean(), fc.boolean(), (fields, circular, throwing) => {
    clear()
    const input: Record<string, unknown> = { ...fields }
    if (circular) input.me = input
    if (throwing) Object.defineProperty(input, 'trap', { enumerable: true, get () { throw new Error('trap') } })
    loose.info('fuzz_input_received', input)
    return records.length === 1 && records[0]!.event === 'fuzz_input_received'
  }), { numRuns: 300 })
  t.pass('300 hostile records written')
})

import t from 'tap'
import { createLogger, Events, masking, withContext, type Logger, type LoggerOptions } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { textSink } from '../helpers.js'

// Whole lines, compared as text: JSON.parse would hide a key written twice (the last one wins).
const fixed = { config: false, base: { pid: 1, hostname: 'h' }, timestamp: false } as const

function lineLogger (options: LoggerOptions = {}): { logger: Logger, lines: () => string[] } {
  const sink = textSink()
  return { logger: createLogger({ ...fixed, ...options }, sink.stream), lines: sink.lines }
}

/** The top-level keys of a JSON line in the order written, repeats included. */
function keysOf (line: string): string[] {
  const keys: string[] = []
  let depth = 0
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
    else if (c === '"') {
      let end = i + 1
      while (line[end] !== '"') end += line[end] === '\\' ? 2 : 1
      if (depth === 1 && line[end + 1] === ':') keys.push(JSON.parse(line.slice(i, end + 1)) as string)
      i = end
    }
  }
  return keys
}

t.test('a call that repeats a bound field writes the key once, with the call\'s value; other keys intact', async (t) => {
  const { logger, lines } = lineLogger()
  const log = logger.bind({ order_id: 'ORD-123', tenant: 'acme', request_id: 'req_1' })
  log.info(Events.ORDER_FULFILL_STARTED, { order_id: 'ORD-124', step: 1 })
  log.info(Events.ORDER_FULFILL_STARTED, { tenant: 'globex', request_id: 'req_2' })
  log.info(Events.ORDER_FULFILL_STARTED, { step: 2 })
  log.info(Events.ORDER_FULFILL_STARTED, { order_id: 'ORD-125', step: 3 }) // the same repeated set again: its child is reused
  t.strictSame(lines(), [
    '{"level":30,"pid":1,"hostname":"h","tenant":"acme","request_id":"req_1","order_id":"ORD-124","step":1,"event":"order_fulfill_started","msg":"order_fulfill_started"}',
    '{"level":30,"pid":1,"hostname":"h","order_id":"ORD-123","tenant":"globex","request_id":"req_2","event":"order_fulfill_started","msg":"order_fulfill_started"}',
    '{"level":30,"pid":1,"hostname":"h","order_id":"ORD-123","tenant":"acme","request_id":"req_1","step":2,"event":"order_fulfill_started","msg":"order_fulfill_started"}',
    '{"level":30,"pid":1,"hostname":"h","tenant":"acme","request_id":"req_1","order_id":"ORD-125","step":3,"event":"order_fulfill_started","msg":"order_fulfill_started"}'
  ])
  for (const line of lines()) t.equal(new Set(keysOf(line)).size, keysOf(line).length, `each key once: ${line}`)
  t.strictSame(log.bindings(), { order_id: 'ORD-123', tenant: 'acme', request_id: 'req_1' }, 'the logger keeps its bindings')
})

t.test('a field set to undefined in the call keeps the bound value, as pino skips undefined', async (t) => {
  const { logger, lines } = lineLogger()
  logger.bind({ order_id: 'ORD-123' }).info(Events.ORDER_FULFILL_STARTED, { order_id: undefined as unknown as string })
  t.strictSame(lines(), ['{"level":30,"pid":1,"hostname":"h","order_id":"ORD-123","event":"order_fulfill_started","msg":"order_fulfill_started"}'])
})

t.test("a call's msg is the record's msg (viewers show it), written once; a call's event is dropped for the event name", async (t) => {
  const { logger, lines } = lineLogger()
  const untyped = logger as unknown as { info: (event: string, fields: object) => void }
  logger.info(Events.PAYMENT_CHARGE_FAILED, { error: 'declined', msg: 'Card declined for order ORD-1' })
  untyped.info('payment_charge_failed', { event: 'something_else', error: 'declined' })
  logger.info(Events.PAYMENT_CHARGE_FAILED, { error: 'declined' })
  t.strictSame(lines(), [
    '{"level":30,"pid":1,"hostname":"h","error":"declined","msg":"Card declined for order ORD-1","event":"payment_charge_failed"}',
    '{"level":30,"pid":1,"hostname":"h","error":"declined","event":"payment_charge_failed","msg":"payment_charge_failed"}',
    '{"level":30,"pid":1,"hostname":"h","error":"declined","event":"payment_charge_failed","msg":"payment_charge_failed"}'
  ], 'the logger without a msg of its own still writes the viewer copy')

  const test = createTestLogger()
  test.logger.info(Events.PAYMENT_CHARGE_FAILED, { error: 'declined', msg: 'Card declined' })
  t.equal(test.records[0]!.msg, 'Card declined', 'records keep a msg that says something else than the event')
})

t.test('bound msg and event: a bound msg wins over the viewer copy, a bound event is ignored', async (t) => {
  const { logger, lines } = lineLogger()
  const log = logger.bind({ msg: 'checkout', event: 'ignored', order_id: 'o1' })
  log.info(Events.ORDER_FULFILL_STARTED)
  log.info(Events.ORDER_FULFILL_STARTED, { msg: 'call' })
  log.bind({ step: 1 }).info(Events.ORDER_FULFILL_STARTED)
  t.strictSame(lines(), [
    '{"level":30,"pid":1,"hostname":"h","msg":"checkout","order_id":"o1","event":"order_fulfill_started"}',
    '{"level":30,"pid":1,"hostname":"h","order_id":"o1","msg":"call","event":"order_fulfill_started"}',
    '{"level":30,"pid":1,"hostname":"h","msg":"checkout","order_id":"o1","step":1,"event":"order_fulfill_started"}'
  ])
  t.strictSame(log.bindings(), { msg: 'checkout', order_id: 'o1' })
})

t.test('nested binds that replace a field write it once, with the inner value, and keep following the level', async (t) => {
  const { logger, lines } = lineLogger()
  const outer = logger.bind({ tenant: 'acme', user_id: 'u1' })
  const inner = outer.bind({ tenant: 'globex', session_id: 's1' })
  inner.info(Events.USER_FEATURE_ACCESSED, { feature: 'export' })
  inner.info(Events.USER_FEATURE_ACCESSED, { feature: 'export', session_id: 's2' })
  inner.debug(Events.USER_FEATURE_ACCESSED, { feature: 'hidden' })
  outer.level = 'debug'
  inner.debug(Events.USER_FEATURE_ACCESSED, { feature: 'shown', user_id: 'u2' })
  t.strictSame(lines(), [
    '{"level":30,"pid":1,"hostname":"h","tenant":"globex","user_id":"u1","session_id":"s1","feature":"export","event":"user_feature_accessed","msg":"user_feature_accessed"}',
    '{"level":30,"pid":1,"hostname":"h","tenant":"globex","user_id":"u1","feature":"export","session_id":"s2","event":"user_feature_accessed","msg":"user_feature_accessed"}',
    '{"level":20,"pid":1,"hostname":"h","tenant":"globex","session_id":"s1","feature":"shown","user_id":"u2","event":"user_feature_accessed","msg":"user_feature_accessed"}'
  ])
  t.strictSame(inner.bindings(), { tenant: 'globex', user_id: 'u1', session_id: 's1' })
})

t.test('withContext fields that repeat a bound field: once, the context value (the call side) winning', async (t) => {
  const { logger, lines } = lineLogger()
  const log = logger.bind({ request_id: 'req_bound', tenant: 'acme' })
  await withContext({ request_id: 'req_ctx' }, async () => {
    await Promise.resolve()
    log.info(Events.CACHE_LOOKUP_HIT, { key: 'k' })
    log.info(Events.CACHE_LOOKUP_HIT, { key: 'k', request_id: 'req_call' })
  })
  t.strictSame(lines(), [
    '{"level":30,"pid":1,"hostname":"h","tenant":"acme","request_id":"req_ctx","key":"k","event":"cache_lookup_hit","msg":"cache_lookup_hit"}',
    '{"level":30,"pid":1,"hostname":"h","tenant":"acme","request_id":"req_call","key":"k","event":"cache_lookup_hit","msg":"cache_lookup_hit"}'
  ])
})

t.test('through processors: masking (fields path) and a record processor write each key once, masked', async (t) => {
  const masked = lineLogger({ processors: [masking({ keys: ['token'] })] })
  const log = masked.logger.bind({ token: 'bound-secret', user_id: 'u1' })
  log.info(Events.AUTH_TOKEN_ISSUED, { token: 'call-secret', msg: 'issued' })
  t.strictSame(masked.lines(), [
    '{"level":30,"pid":1,"hostname":"h","user_id":"u1","token":"[REDACTED]","msg":"issued","event":"auth_token_issued"}'
  ])

  const chained = lineLogger({ processors: [function stamp (record) { record.stage = 'x'; return record }] })
  const child = chained.logger.bind({ stage: 'bound', user_id: 'u1' })
  child.info(Events.AUTH_TOKEN_ISSUED)
  child.info(Events.AUTH_TOKEN_ISSUED, { msg: 'issued' })
  t.strictSame(chained.lines(), [
    '{"level":30,"pid":1,"hostname":"h","user_id":"u1","event":"auth_token_issued","msg":"auth_token_issued","stage":"x"}',
    '{"level":30,"pid":1,"hostname":"h","user_id":"u1","event":"auth_token_issued","msg":"issued","stage":"x"}'
  ])
})

t.test('with a pino logMethod hook (pino level methods are called): each key once too', async (t) => {
  const seen: unknown[] = []
  const { logger, lines } = lineLogger({ hooks: { logMethod (args, method) { seen.push(args[1]); method.apply(this, args) } } })
  logger.bind({ user_id: 'u1' }).info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u2' })
  t.strictSame(seen, ['auth_login_success'])
  t.strictSame(lines(), ['{"level":30,"pid":1,"hostname":"h","user_id":"u2","event":"auth_login_success","msg":"auth_login_success"}'])
})

t.test('a throwing getter on a key that could repeat: the call does not throw, the record is still written', async (t) => {
  const { logger, lines } = lineLogger()
  const fields = { key: 'k', get tenant (): string { throw new Error('no tenant') } }
  t.doesNotThrow(() => { logger.bind({ tenant: 'acme' }).info(Events.CACHE_LOOKUP_MISS, fields) })
  t.doesNotThrow(() => { logger.info(Events.CACHE_LOOKUP_MISS, { key: 'k', get msg (): string { throw new Error('no msg') } }) })
  t.equal(lines().length, 2)
  for (const line of lines()) t.equal(new Set(keysOf(line)).size, keysOf(line).length, `each key once: ${line}`)
  const first = JSON.parse(lines()[0]!) as Record<string, unknown>
  t.equal(first.key, 'k')
  t.equal(first.event, 'cache_lookup_miss')
  t.match(String(first.tenant), /Unserializable/)
})

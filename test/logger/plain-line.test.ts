import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import t from 'tap'
import pino, { symbols, type Logger as PinoLogger } from 'pino'
import { createLogger, Events, masking, type Logger, type LoggerOptions } from '../../src/index.js'
import { lineWriter, type LineGuarding } from '../../src/logger/plain-line.js'

// daslog's writer makes pino's line itself (one JSON.stringify of the fields) when pino would only
// serialize them: these tests hold it to pino's own writer, byte for byte, on the same logger.

const event = 'item_process_success'
type Internals = Record<symbol, unknown>

/** A daslog logger writing raw strings to an array, its pino root, and a count of the lines pino's own serializer made. */
function setup (options: LoggerOptions = {}, destination?: pino.DestinationStream): {
  logger: Logger
  root: PinoLogger
  lines: string[]
  pinoMade: () => number
} {
  const lines: string[] = []
  // No time (pino's nullTime, one of the time functions the writer knows): two writes of a call make the same line.
  const logger = createLogger({ config: false, timestamp: false, ...options }, destination ?? { write (line: string) { lines.push(line) } })
  const root = (logger as unknown as { _pino: PinoLogger })._pino
  const internals = root as unknown as Internals
  const asJson = internals[symbols.asJsonSym] as (...args: unknown[]) => string
  let made = 0
  internals[symbols.asJsonSym] = function (this: unknown, ...args: unknown[]) {
    made++
    return asJson.apply(this, args)
  }
  return { logger, root, lines, pinoMade: () => made }
}

/** The line daslog's writer makes and the line pino's own writer makes for the same call, and whether pino's serializer made the first. */
function bothLines (options: LoggerOptions, obj: unknown, target?: (root: PinoLogger) => PinoLogger): { daslog: string, pino: string, byPino: boolean } {
  const { root, lines, pinoMade } = setup(options)
  const logger = target === undefined ? root : target(root)
  lineWriter(root, guardingOf(root, options))(logger, obj, event, 30)
  const byPino = pinoMade() > 0
  ;(logger as unknown as Record<symbol, (obj: unknown, msg: string, level: number) => void>)[symbols.writeSym]!(obj, event, 30)
  return { daslog: sameTime(lines[0]!), pino: sameTime(lines[1]!), byPino }
}

/** What createLogger gives the line writer: its guard (pino's streamWrite hook) and when lines need it. */
function guardingOf (root: PinoLogger, options: LoggerOptions): LineGuarding {
  const guard = (root as unknown as Record<symbol, { streamWrite: (line: string) => string }>)[symbols.hooksSym]!.streamWrite
  return { guard, maxStringLength: options.maxStringLength ?? 100_000, applicationHook: options.hooks?.streamWrite !== undefined }
}

/** The line with its time (pino's epoch, seconds or ISO time, written twice a millisecond apart, maybe) as `T`. */
function sameTime (line: string): string {
  return line.replace(/^\{"level":30,"time":(\d+|"[^"]*")/, '{"level":30,"time":"T"')
}

class Point {
  constructor (readonly x: number, readonly y: number) {}
}
const withToJson = { toJSON: () => ({ replaced: true }) }
const nullPrototype = Object.assign(Object.create(null) as object, { a: 1, b: 'two' })
const withGetter = Object.defineProperty({ a: 1 }, 'b', { enumerable: true, get: () => 'got' })
const withHidden = Object.defineProperty({ a: 1 }, 'hidden', { enumerable: false, value: 'no' })
const withSymbol = { a: 1, [Symbol('s')]: 'no' }

/** Fields pino writes as JSON.stringify does: the fast path takes them, and must write what pino writes. */
const plainFields: Array<[string, unknown]> = [
  ['no fields', undefined],
  ['null fields', null],
  ['an empty object', {}],
  ['strings that need escaping', { quote: 'say "hi"', backslash: 'C:\\dir', newline: 'a\nb', tab: 'a\tb', nul: 'a\u0000b', esc: '\u001b[31mred' }],
  ['DEL, C1 and bidi controls (escaped by the line guard on both paths)', { del: 'a\u007fb', c1: 'a\u0085b\u009bc', bidi: 'a\u202eb', sep: 'a\u2028b' }],
  ['non-ASCII text', { accented: 'café', cjk: '日本語', emoji: '😀 ok' }],
  ['a long string (over 100 characters)', { long: `"${'x'.repeat(150)}"` }],
  ['numbers', { zero: 0, negZero: -0, float: 99.99, big: 1e21, small: 1e-7, max: Number.MAX_SAFE_INTEGER, nan: Number.NaN, inf: Infinity, ninf: -Infinity }],
  ['booleans and null', { yes: true, no: false, nothing: null }],
  ['undefined, functions and symbols (left out)', { a: 1, u: undefined, f: () => 1, s: Symbol('x'), b: 2 }],
  ['keys that need escaping', { 'a"b': 1, 'c\\d': 2, 'e\nf': 3, 'ü': 4 }],
  ['integer-like keys (written first, in order)', { b: 1, 10: 'ten', 2: 'two', a: 3 }],
  ['nested objects and arrays', { order: { id: 'o1', items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }], empty: [], holes: [1, undefined, () => 2] } }],
  ['nested values with toJSON (Date, Buffer, an object)', { at: new Date(0), bytes: Buffer.from('hi'), custom: withToJson }],
  ['nested Error, Map, Set and class instance', { error: new Error('boom'), map: new Map([['a', 1]]), set: new Set([1]), point: new Point(1, 2) }],
  ['a null-prototype object', nullPrototype],
  ['an enumerable getter', withGetter],
  ['a non-enumerable property and a symbol key (left out)', withHidden],
  ['a symbol-keyed property (left out)', withSymbol]
]

/** Calls the fast path leaves to pino: the line must still be pino's. */
const circular: Record<string, unknown> = { id: 'c' }
circular.self = circular
const pinoFields: Array<[string, unknown]> = [
  ['an Error as the fields', new Error('boom')],
  ['an err field (pino serializes it)', { err: new Error('boom'), a: 1 }],
  ['an event field (pino stringifies it)', { event: 'other', a: 1 }],
  ['a BigInt (pino writes it per value)', { a: 1, n: 10n }],
  ['a cycle', { a: 1, circular }],
  ['a class instance as the fields', new Point(1, 2)],
  ['an array as the fields', ['a', 'b']],
  ['an object with toJSON of its own', { a: 1, toJSON: () => 'whole' }],
  ['an object inheriting its fields', Object.create({ inherited: 1 }) as object]
]

t.test('plain fields: daslog writes the line pino writes, without pino serializing it', async (t) => {
  for (const [name, fields] of plainFields) {
    const { daslog, pino: fromPino, byPino } = bothLines({}, fields)
    t.equal(daslog, fromPino, name)
    t.notOk(byPino, `${name}: the fast path made it`)
    t.doesNotThrow(() => JSON.parse(daslog), `${name}: one line of JSON`)
  }
})

t.test('fields pino must see: its own writer makes the line', async (t) => {
  for (const [name, fields] of pinoFields) {
    const { daslog, pino: fromPino, byPino } = bothLines({}, fields)
    t.equal(daslog, fromPino, name)
    t.ok(byPino, `${name}: pino made it`)
  }
})

t.test('a lone surrogate: written as a \\u escape (pino before Node 25 writes it raw, read back as U+FFFD)', async (t) => {
  const { daslog, byPino } = bothLines({}, { text: 'a\udc00b' })
  t.notOk(byPino)
  t.match(daslog, '"text":"a\\udc00b"')
  t.equal((JSON.parse(daslog) as { text: string }).text, 'a\udc00b')
})

t.test('pino options the line is made of: the same bytes as pino', async (t) => {
  const fields = { user_id: 'u1', amount: 5, tags: ['a'] }
  const configs: Array<[string, LoggerOptions]> = [
    ['custom levels', { customLevels: { audit: 35 } }],
    ['pino\'s epoch timestamp in seconds', { timestamp: pino.stdTimeFunctions.unixTime }],
    ['pino\'s ISO timestamp', { timestamp: pino.stdTimeFunctions.isoTime }],
    ['CRLF line ends', { crlf: true }],
    ['no base fields', { base: null }],
    ['base fields of its own', { base: { service: 'billing', 'odd"key': 'x' } }],
    ['a level formatter', { formatters: { level: (label: string) => ({ severity: label.toUpperCase() }) } }],
    ['a bindings formatter', { formatters: { bindings: (bindings: Record<string, unknown>) => ({ host: bindings.hostname }) } }],
    ['a serializer for a key the call does not have', { serializers: { user: () => 'serialized' } }],
    ['an error key of its own', { errorKey: 'error' }]
  ]
  for (const [name, options] of configs) {
    const { daslog, pino: fromPino, byPino } = bothLines(options, fields)
    t.equal(daslog, fromPino, name)
    t.notOk(byPino, `${name}: the fast path made it`)
  }
  const child = bothLines({}, fields, (root) => root.child({ correlation_id: 'c-1', tenant: 'acme' }))
  t.equal(child.daslog, child.pino, 'a pino child: its bindings')
  t.notOk(child.byPino, 'a pino child: the fast path made it')
})

t.test('a serializer keyed by a field the call has, or the error key: pino serializes it', async (t) => {
  const serialized = bothLines({ serializers: { user: () => 'serialized' } }, { user: { id: 1 } })
  t.equal(serialized.daslog, serialized.pino)
  t.match(serialized.daslog, '"user":"serialized"')
  t.ok(serialized.byPino)
  const errorKey = bothLines({ errorKey: 'error' }, { error: new Error('boom') })
  t.equal(errorKey.daslog, errorKey.pino)
  t.ok(errorKey.byPino)
})

t.test('options that make pino do more than serialize: every line is pino\'s', async (t) => {
  const configs: Array<[string, LoggerOptions]> = [
    ['mixin', { mixin: () => ({ from_mixin: 1 }) }],
    ['formatters.log', { formatters: { log: (obj: Record<string, unknown>) => ({ ...obj, formatted: true }) } }],
    ['nestedKey', { nestedKey: 'payload' }],
    ['redact', { redact: ['secret'] }],
    ['a serializer keyed by a symbol', { serializers: { [Symbol.for('pino.*')]: (value: unknown) => value } as never }]
  ]
  for (const [name, options] of configs) {
    const { daslog, pino: fromPino, byPino } = bothLines(options, { a: 1, secret: 's' })
    t.equal(daslog, fromPino, name)
    t.ok(byPino, `${name}: pino made it`)
  }
})

t.test('a stream that wants each record\'s metadata (pino.multistream): pino writes, and sets it', async (t) => {
  const lines: string[] = []
  const multi = pino.multistream([{ stream: { write (line: string) { lines.push(line) } } }])
  const { logger, pinoMade } = setup({}, multi)
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i1' })
  t.equal(pinoMade(), 1)
  t.equal((multi as unknown as { lastLevel: number }).lastLevel, 30, 'its metadata set')
  t.strictSame(JSON.parse(lines[0]!), { level: 30, pid: process.pid, hostname: JSON.parse(lines[0]!).hostname, item_id: 'i1', event, msg: event })
})

t.test('while something subscribes to pino\'s pino_asJson tracing channel, pino serializes (and traces) every line', async (t) => {
  const { logger, pinoMade, lines } = setup()
  const traced: unknown[] = []
  const onStart = (message: unknown): void => { traced.push(message) }
  subscribe('tracing:pino_asJson:start', onStart)
  try {
    logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i1' })
  } finally {
    unsubscribe('tracing:pino_asJson:start', onStart)
  }
  t.equal(traced.length, 1)
  t.equal(pinoMade(), 1)
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i2' })
  t.equal(pinoMade(), 1, 'unsubscribed: the fast path again')
  t.equal(lines.length, 2)
})

t.test('through the logger: bound fields, masking and a call without fields take the fast path, and the records are whole', async (t) => {
  const { logger, lines, pinoMade } = setup({ processors: [masking({ paths: ['card'] })] })
  const bound = logger.bind({ correlation_id: 'c-1' })
  bound.info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'o1', amount: 5, currency: 'EUR', card: '4111111111111111' })
  ;(logger.info as (event: string) => void)(Events.CACHE_LOOKUP_HIT)
  t.equal(pinoMade(), 0)
  const host = (JSON.parse(lines[0]!) as { hostname: string }).hostname
  t.strictSame(lines.map((line) => JSON.parse(line)), [
    { level: 30, pid: process.pid, hostname: host, correlation_id: 'c-1', order_id: 'o1', amount: 5, currency: 'EUR', card: '[REDACTED]', event: 'payment_process_started', msg: 'payment_process_started' },
    { level: 30, pid: process.pid, hostname: host, event: 'cache_lookup_hit', msg: 'cache_lookup_hit' }
  ])
})

/** DEL, C1, bidi controls and U+2028/9 raw in a line: what the line guard escapes. */
const rawUnsafe = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

t.test('the parts the line guard is left out for are escaped all the same', async (t) => {
  const fields = { note: 'a\u0085b' }
  const configs: Array<[string, LoggerOptions]> = [
    ['a timestamp function of its own', { timestamp: () => ',"time":"t\u009b1"' }],
    ['a level formatter', { formatters: { level: () => ({ level: 'info\u202e' }) } }],
    ['base fields', { base: { host: 'h\u2028x' } }],
    ['the application\'s own streamWrite hook', { hooks: { streamWrite: (line: string) => line.replace('"note"', '"hooked"') } }],
    ['a line over maxStringLength', { maxStringLength: 64 }]
  ]
  for (const [name, options] of configs) {
    const { daslog, pino: fromPino, byPino } = bothLines(options, { ...fields, long: 'x'.repeat(80) })
    t.equal(daslog, fromPino, name)
    t.notOk(byPino, `${name}: the fast path made it`)
    t.notMatch(daslog, rawUnsafe, `${name}: nothing raw`)
  }
  const hooked = bothLines({ hooks: { streamWrite: (line: string) => line.replace('"note"', '"hooked"') } }, fields)
  t.match(hooked.daslog, '"hooked":"a\\u0085b"', 'the application hook saw the guarded line')
  const cut = bothLines({ maxStringLength: 64 }, { long: 'x'.repeat(80) })
  t.match(cut.daslog, `"long":"${'x'.repeat(64)}...[truncated 16 characters]"`, 'long strings cut')
})

t.test('bound fields, event names and a bound msg with characters to escape: escaped on the fast path', async (t) => {
  const { logger, lines, pinoMade } = setup()
  const loose = logger as unknown as { info: (event: string, fields?: unknown) => void, bind: (fields: object) => typeof loose }
  loose.bind({ tenant: 'acme\u202e' }).info('item_process_success', { a: 1 })
  loose.info('item\u007fprocess_success', { a: 2 })
  loose.info('item\u2028process_success', { a: 3 })
  loose.bind({ msg: 'own\u0085message' }).info('item\u0085process_success', { a: 4 })
  t.equal(pinoMade(), 0)
  for (const line of lines) t.notMatch(line, rawUnsafe, line)
  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.strictSame(records.map(({ tenant, event, msg, a }) => ({ tenant, event, msg, a })), [
    { tenant: 'acme\u202e', event: 'item_process_success', msg: 'item_process_success', a: 1 },
    { tenant: undefined, event: 'item\u007fprocess_success', msg: 'item\u007fprocess_success', a: 2 },
    { tenant: undefined, event: 'item\u2028process_success', msg: 'item\u2028process_success', a: 3 },
    { tenant: undefined, event: 'item\u0085process_success', msg: 'own\u0085message', a: 4 }
  ])
})

import { symbols, type Logger as PinoLogger } from 'pino'
import { writeEventOnly } from './event-message.js'
import type { WriteFn } from './log-method.js'
import type { LoggerCore } from './logger-core.js'
import { toSafeValue } from './safe-value.js'

/**
 * Each key once. pino writes a child's bindings as a JSON fragment made at
 * bind time, then the call's fields, then the message key, so a call that
 * repeats a bound field, or has a `msg` or `event` of its own, would write
 * the key twice (pino does; strict ingesters such as Elasticsearch reject the
 * line). daslog decides at bind time which keys could clash (`event`, `msg`
 * and the bound keys, see `clashTestsOf`), and a call looks those up on its
 * fields object, a few property loads; only a call that has one takes the
 * slow path below, through a pino child kept per set of repeated keys whose
 * bindings fragment leaves them out. The call's value wins; a call's own
 * `msg` replaces the viewer copy of the event name; a call's `event` is
 * dropped (the event name wins, as on the processor path).
 */

const chindingsSym: unique symbol = symbols.chindingsSym as never
type PinoWithChindings = PinoLogger & { [chindingsSym]: string }

/** pino leaves these out of a child's bindings, so they can never clash. */
const unwrittenBindings = new Set(['level', 'serializers', 'formatters', 'customLevels'])

/** Children kept per logger for the repeated-key sets its calls used; beyond this, made per call. */
const maxVariants = 32

/** Tells whether the object pino is about to get sets one of the keys that could repeat. */
export type RepeatTest = (obj: unknown) => boolean

/** What a logger checks its calls for, decided when it is made (see `clashTestsOf`). */
export interface ClashTests {
  /** `event`, `msg`, then the bound keys pino writes. */
  readonly keys: readonly string[]
  /** For call fields: any of the keys. */
  readonly fields: RepeatTest
  /** For a processed record, which carries its `event`: any key but `event`. */
  readonly record: RepeatTest
}

/** The tests per key list, shared by every logger that binds the same keys. */
const testsByKeys = new Map<string, ClashTests>()
const maxCachedTests = 1024

/** The keys a call is checked for: `event` and `msg`, then the bound keys pino writes, with their tests. */
export function clashTestsOf (bindings: Readonly<Record<string, unknown>>): ClashTests {
  const keys = ['event', 'msg']
  for (const key of Object.keys(bindings)) {
    if (key !== 'event' && key !== 'msg' && bindings[key] !== undefined && !unwrittenBindings.has(key)) keys.push(key)
  }
  const id = JSON.stringify(keys)
  let tests = testsByKeys.get(id)
  if (tests === undefined) {
    tests = Object.freeze({ keys: Object.freeze(keys), fields: repeatTest(keys), record: repeatTest(keys.slice(1)) })
    if (testsByKeys.size < maxCachedTests) testsByKeys.set(id, tests)
  }
  return tests
}

/**
 * `obj.event !== undefined || obj.msg !== undefined || ...`, compiled once per
 * key list: a property load per key, which V8 caches by the call object's
 * shape. Measured with callgrind on the bench's bound call (3 bound keys, 5
 * fields): a loop over the key list costs about 1,300 instructions a call (a
 * keyed load of a missing key is a full lookup every time), this about 10,
 * and about 400 once a test sees many shapes of call objects. The keys are
 * written as JSON string literals, so any key name is safe in the source.
 */
function repeatTest (keys: readonly string[]): RepeatTest {
  const loads = keys.map((key) => `o[${JSON.stringify(key)}] !== undefined`)
  const source = `return typeof o === 'object' && o !== null && (${loads.join(' || ')})`
  return new Function('o', source) as RepeatTest
}

/**
 * Writes a record whose fields repeat a key (see the top of this file).
 * `msg` is the event name when pino writes it as its message, or undefined
 * when the record carries `event` itself (the processor path).
 */
export function writeOnce (logger: LoggerCore, write: WriteFn, obj: object, msg: string | undefined): void {
  let fields = obj as Record<string, unknown>
  if (msg !== undefined && fields.event !== undefined && !(fields instanceof Error)) {
    fields = { ...fields }
    delete fields.event
  }
  const keys = logger._clash.keys
  const omit: string[] = []
  if (fields.msg !== undefined && logger._bindings.msg !== undefined) omit.push('msg')
  for (let i = 2; i < keys.length; i++) {
    if (fields[keys[i]!] !== undefined) omit.push(keys[i]!)
  }
  const target = variantOf(logger, omit, fields.msg !== undefined)
  try {
    write(target, fields, msg)
  } catch (error) {
    logger._shared.writeFailed(target, write, fields, msg, error)
  }
}

/**
 * After the write (or the check before it) threw, a getter say: the shared
 * slow path (a JSON-safe copy, then a marker record), with each key still
 * written once. Never throws.
 */
export function writeFailed (logger: LoggerCore, write: WriteFn, obj: unknown, msg: string | undefined, error: unknown): void {
  const safe = toSafeValue(obj)
  if ((msg === undefined ? logger._clash.record : logger._clash.fields)(safe)) writeOnce(logger, write, safe as object, msg)
  else logger._shared.writeFailed(logger._pino, write, safe, msg, error)
}

/** The pino child that writes `logger`'s bindings without `omit`, and without the viewer `msg` when `ownMsg`. */
function variantOf (logger: LoggerCore, omit: readonly string[], ownMsg: boolean): PinoLogger {
  if (omit.length === 0 && !ownMsg) return logger._pino
  const key = `${ownMsg ? 'm' : '-'}${omit.join('\u0000')}`
  let variant = logger._variants?.get(key)
  if (variant !== undefined) return variant
  variant = omit.length === 0 ? logger._pino.child({}) : rebound(logger._pino, logger._root, without(logger._bindings, omit))
  if (ownMsg) writeEventOnly(variant)
  if ((logger._variants ??= new Map()).size < maxVariants) logger._variants.set(key, variant)
  return variant
}

/**
 * A child of `parent` (so it follows its level, hooks and options) whose
 * bindings fragment is `bindings` as a whole, serialized once from `root`:
 * for bindings that replace some of the parent's, which pino would write twice.
 */
export function rebound (parent: PinoLogger, root: PinoLogger, bindings: Readonly<Record<string, unknown>>): PinoLogger {
  const child = parent.child({}) as PinoWithChindings
  child[chindingsSym] = (childOf(root, bindings) as PinoWithChindings)[chindingsSym]
  return child
}

/** A pino child; bindings pino cannot serialize (a throwing getter, say) are bound as a JSON-safe copy instead. */
export function childOf (parent: PinoLogger, fields: Readonly<Record<string, unknown>>): PinoLogger {
  try {
    return parent.child(fields)
  } catch {
    return parent.child(toSafeValue(fields) as Record<string, unknown>)
  }
}

/** A copy of `bindings` without the keys in `omit`, in the same order. */
export function without (bindings: Readonly<Record<string, unknown>>, omit: readonly string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const key of Object.keys(bindings)) if (!omit.includes(key)) rest[key] = bindings[key]
  return rest
}

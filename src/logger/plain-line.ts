import { tracingChannel } from 'node:diagnostics_channel'
import pino, { symbols, type Logger as PinoLogger } from 'pino'
import { escapeRawInJson } from '../../transports/shared/control-characters.js'
import { guardedOutput } from './event-message.js'

/** Writes one record to pino's stream, the way pino's internal writer does (`symbols.writeSym`). */
export type LineWrite = (target: PinoLogger, obj: unknown, msg: string | undefined, levelValue: number) => void

type Stringifier = ((value: unknown) => string) & { [guardedOutput]?: true }

/** daslog's line guard (pino's `streamWrite` hook), and when a line must go through it: see lineWriter. */
export interface LineGuarding {
  readonly guard: (line: string) => string
  /** Lines longer than this have their strings cut by the guard. */
  readonly maxStringLength: number
  /** The application gave a `streamWrite` hook of its own, which the guard calls. */
  readonly applicationHook: boolean
}

/** The pino internals a line is made of, all public symbols (`pino.symbols`). */
const sym = symbols as unknown as Record<keyof typeof symbols, symbol>
interface PinoInternals {
  [key: symbol]: unknown
}
interface PinoStream {
  write: (line: string) => unknown
  [key: symbol]: unknown
}

/** On a pino logger: its bindings fragment, once found to need no escaping (a child inherits it, and compares its own). */
const cleanBindingsSym = Symbol('daslog.cleanBindings')

/** pino's own time functions: they write digits or an ISO date, nothing to escape. */
const knownTimes = new Set<unknown>(Object.values(pino.stdTimeFunctions))

/** pino traces its serializer on this channel (`tracing:pino_asJson:*`); a subscriber sees pino's own path. */
const asJsonChannel = tracingChannel('pino_asJson')

/**
 * pino's writer, or one that makes the same line with one `JSON.stringify`
 * of the call's fields when pino would do nothing to them but serialize.
 *
 * pino writes a record as the level fragment, the time, the bound fields
 * (a fragment made at bind time), then each field: it loops over the
 * object's own keys, runs the ones that have a serializer (`err`) or a
 * stringifier (`event`, redacted paths) through it, and writes every other
 * value as `JSON.stringify` does (its own string escaper differs only for a
 * lone surrogate in a string of up to 100 characters, which it writes raw
 * and `JSON.stringify` as `\udxxx`; from Node 25 pino uses `JSON.stringify`
 * there too). For a plain object (`{...}` or `Object.create(null)`) with no
 * `toJSON`, no key that has a serializer and no `event`, that loop writes
 * `JSON.stringify(fields)` without its braces, which V8 makes natively. The
 * event name goes through pino's `event` stringifier (daslog's
 * `"name","msg":"name"` fragment), the line to pino's stream.
 *
 * The line guard scans a whole line for characters to escape; here most
 * of the line is known: the level fragments, the line end and pino's own
 * time functions are checked once, a logger's bindings fragment once (kept
 * on it), and daslog's event stringifiers escape what they return. So only
 * the fields' JSON is escaped, and the guard runs only for an application
 * `streamWrite` hook (which it calls), a line longer than `maxStringLength`
 * (whose strings it cuts) or a part above not known clean.
 *
 * Callgrind, instructions per call: masking 2 paths 22,606 -> 20,763 (pino
 * with `redact` about 26,500), the bound call with 5 fields 19,378 ->
 * 17,881 (pino's child about 19,950); see docs/performance.md.
 *
 * Anything else takes pino's own writer: a logger with `mixin`,
 * `formatters.log`, `nestedKey`, `redact`, a serializer keyed by a symbol
 * or by `event`, decided here once; per call (the cheap checks first), fields that are not such a
 * plain object, an event that is not a string, fields `JSON.stringify`
 * cannot write (a BigInt, a cycle: pino's safe stringifier handles them per
 * value, after a getter has run twice), a pino child with serializers of
 * its own, a stream that wants each record's metadata (`pino.multistream`),
 * and any time something subscribes to pino's `pino_asJson` tracing
 * channel. The tests compare both paths byte for byte.
 */
export function lineWriter (root: PinoLogger, guarding: LineGuarding): LineWrite {
  return plainLineOf(root, guarding) ?? pinoWrite
}

function pinoWrite (target: PinoLogger, obj: unknown, msg: string | undefined, levelValue: number): void {
  (target as unknown as Record<symbol, (obj: unknown, msg: string | undefined, levelValue: number) => void>)[sym.writeSym]!(obj, msg, levelValue)
}

/** The fast writer for this logger, or undefined when its options make pino do more than serialize (see above). */
function plainLineOf (root: PinoLogger, guarding: LineGuarding): LineWrite | undefined {
  const internals = root as unknown as PinoInternals
  const formatters = internals[sym.formattersSym] as { log?: unknown }
  const stringifiers = internals[sym.stringifiersSym] as Record<string | symbol, unknown>
  const serializers = internals[sym.serializersSym] as Record<string | symbol, unknown>
  if (internals[sym.mixinSym] || formatters.log || internals[sym.nestedKeySym]) return undefined
  if (Reflect.ownKeys(stringifiers).length !== 1 || typeof stringifiers.event !== 'function') return undefined
  if (Object.getOwnPropertySymbols(serializers).length > 0 || serializers.event !== undefined) return undefined
  const { guard, maxStringLength } = guarding
  const levelFragments = Object.values(internals[sym.lsCacheSym] as Record<number, string>)
  const unguarded = !guarding.applicationHook && knownTimes.has(internals[sym.timeSym]) &&
    isClean(internals[sym.endSym] as string) && levelFragments.every(isClean)
  // Keys pino would run through a serializer: each one, and the error key (which takes `err`'s).
  const serialized = Object.keys(serializers)
  const errorKey = internals[sym.errorKeySym] as string
  if (serializers.err !== undefined && !serialized.includes(errorKey)) serialized.push(errorKey)
  serialized.push('event', 'toJSON')
  const unwritable = (obj: Record<string, unknown>): boolean => {
    for (let i = 0; i < serialized.length; i++) if (obj[serialized[i]!] !== undefined) return true
    return false
  }

  return (target, obj, msg, levelValue) => {
    const pino = target as unknown as PinoInternals
    const out = pino[sym.streamSym] as PinoStream
    const fields = typeof msg === 'string' && pino[sym.serializersSym] === serializers && out[sym.needsMetadataGsym] !== true &&
      !asJsonChannel.hasSubscribers ? fieldsJson(obj, unwritable) : undefined
    if (fields === undefined) {
      pinoWrite(target, obj, msg, levelValue)
      return
    }
    const event = (pino[sym.stringifiersSym] as Record<string, Stringifier>).event!
    const bindings = pino[sym.chindingsSym] as string
    const line = (pino[sym.lsCacheSym] as Record<number, string>)[levelValue]! + (pino[sym.timeSym] as () => string)() +
      bindings + fields + ',"event":' + event(msg) + (pino[sym.endSym] as string)
    const clean = unguarded && line.length <= maxStringLength && event[guardedOutput] === true &&
      (pino[cleanBindingsSym] === bindings || cleanBindings(pino, bindings))
    out.write(clean ? line : guard(line))
  }
}

function isClean (text: string): boolean {
  return escapeRawInJson(text) === text
}

/** Whether a logger's bindings fragment needs no escaping; kept on the logger when it does not. */
function cleanBindings (pino: PinoInternals, bindings: string): boolean {
  if (!isClean(bindings)) return false
  pino[cleanBindingsSym] = bindings
  return true
}

/**
 * `,"key":value,...` for fields pino would write as JSON.stringify does
 * ('' for none), escaped as the line guard would, or undefined when pino
 * must see them (see lineWriter).
 */
function fieldsJson (obj: unknown, unwritable: (obj: Record<string, unknown>) => boolean): string | undefined {
  if (obj === undefined || obj === null) return ''
  if (typeof obj !== 'object') return undefined
  const prototype = Object.getPrototypeOf(obj) as unknown
  if ((prototype !== Object.prototype && prototype !== null) || unwritable(obj as Record<string, unknown>)) return undefined
  let json: string
  try {
    json = JSON.stringify(obj)
  } catch {
    return undefined
  }
  return json.length === 2 ? '' : `,${escapeRawInJson(json).slice(1, -1)}`
}

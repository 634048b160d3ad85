import { symbols, type Logger as PinoLogger } from 'pino'
import { viewerMessageKey } from '../../transports/shared/viewer-message.js'
import { escapeRawInJson } from '../../transports/shared/control-characters.js'

type Stringifier = (value: unknown, stringifySafe?: unknown) => string
interface PinoInternals {
  [key: symbol]: unknown
}

/**
 * Marks daslog's event stringifiers: for a string, what they return is
 * already escaped as the line guard escapes a line (DEL, C1, bidi controls,
 * U+2028/9), so the line writer (plain-line.ts) need not scan it again.
 */
export const guardedOutput: unique symbol = Symbol('daslog.guardedOutput')

/** Event names whose JSON fragment is kept; names beyond these (untyped callers) are written without a cache. */
const cachedNames = 4096

/**
 * Makes pino write the event name twice: under `event` (daslog's record)
 * and under `msg` (what log viewers show as the message). pino writes its
 * message key through `stringifiers[messageKey]` when one is set, so this
 * stringifier returns the whole `"name","msg":"name"` fragment, kept per
 * event name: the call itself only looks it up, and the bound hot path
 * stays a string concatenation. A record whose `event` comes from a
 * processor (not pino's message) goes through the same stringifier, so it
 * gets its `msg` too. When pino's own `redact` already stringifies `event`,
 * that stays as it is.
 */
export function writeEventAsMessage (root: PinoLogger): void {
  const internals = root as unknown as PinoInternals
  const stringifiers = internals[symbols.stringifiersSym] as Record<string, Stringifier | undefined>
  if (stringifiers.event !== undefined) return
  const stringify = internals[symbols.stringifySym] as Stringifier
  const fragments = new Map<string, string>()
  // The last name and its fragment: a service writes the same event many times in a row, and a
  // comparison of the same string costs less than a Map lookup (callgrind: about 100 instructions a call).
  let lastName = ''
  let lastFragment = `"","${viewerMessageKey}":""`
  const withViewerCopy: Stringifier = (value, stringifySafe) => {
    if (value === lastName) return lastFragment
    if (typeof value !== 'string') return nonString(stringify, value, stringifySafe)
    let fragment = fragments.get(value)
    if (fragment === undefined) {
      const quoted = escapeRawInJson(JSON.stringify(value))
      fragment = `${quoted},"${viewerMessageKey}":${quoted}`
      if (fragments.size < cachedNames) fragments.set(value, fragment)
    }
    lastName = value
    lastFragment = fragment
    return fragment
  }
  viewerCopies.add(withViewerCopy)
  stringifiers.event = guarded(withViewerCopy)
}

/** The stringifiers writeEventAsMessage installed: the ones writeEventOnly replaces. */
const viewerCopies = new WeakSet<Stringifier>()

/**
 * Makes a pino child write the event name under `event` only, for records
 * that carry a `msg` of their own (which then is the one viewers show). Its
 * stringifiers become its own copy; one that is not daslog's (pino's
 * `redact` of `event`) writes no viewer copy and is left as it is.
 */
export function writeEventOnly (child: PinoLogger): void {
  const internals = child as unknown as PinoInternals
  const stringifiers = internals[symbols.stringifiersSym] as Record<string | symbol, Stringifier | undefined>
  if (stringifiers.event === undefined || !viewerCopies.has(stringifiers.event)) return
  const stringify = internals[symbols.stringifySym] as Stringifier
  internals[symbols.stringifiersSym] = {
    ...stringifiers,
    event: guarded((value: unknown, stringifySafe?: unknown) => typeof value === 'string' ? escapeRawInJson(JSON.stringify(value)) : nonString(stringify, value, stringifySafe))
  }
}

function guarded (stringifier: Stringifier): Stringifier {
  return Object.assign(stringifier, { [guardedOutput]: true })
}

function nonString (stringify: Stringifier, value: unknown, stringifySafe: unknown): string {
  return typeof value === 'object' ? stringify(value, stringifySafe) : String(value)
}

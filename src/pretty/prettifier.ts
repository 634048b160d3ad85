import { prettyFactory } from 'pino-pretty'
import { terminalSequences, unsafeForTerminal as unsafe, unsafeOnOneLine as unsafeInEvent } from '../../transports/shared/control-characters.js'
import type { PrettyOptions } from './pretty-options.js'
import { withoutViewerMessage } from '../../transports/shared/viewer-message.js'

/**
 * Turns one JSON line, as pino writes it, into pino-pretty's text: the time,
 * the level, the event name in bold, then the fields. Lines that are not
 * JSON are shown as they are, cleaned the same way. pino-pretty strips C0
 * and C1 controls from the message and stacks and quotes other values as
 * JSON (which escapes C0 only); this also removes terminal sequences whole
 * (`ESC [31m`, not just its ESC), bidi controls and U+2028/U+2029 from keys
 * and values alike, and keeps the event name (shown unquoted) on one line.
 */
export function createPrettifier (options: PrettyOptions): (line: string) => string {
  const prettify = prettyFactory({
    colorize: options.colorize,
    singleLine: options.singleLine,
    translateTime: options.translateTime,
    ignore: options.ignore.join(','),
    messageKey: 'event',
    messageFormat: (record, key, _level, extras) => {
      // A terminal sequence vanishes; a line break or another control becomes a space.
      const event = String(record[key] ?? '').replace(terminalSequences, '').replace(unsafeInEvent, ' ')
      return extras.colors.bold(event)
    }
  })
  return (line) => {
    let record: unknown
    try {
      record = JSON.parse(line)
    } catch {
      record = undefined
    }
    if (typeof record !== 'object' || record === null) return `${line.replace(unsafe, '').trimEnd()}\n`
    // The `msg` that repeats the event name (for other viewers) would show twice: the header line has it.
    return prettify(withoutViewerMessage(cleaned(record) as Record<string, unknown>))
  }
}

/** The parsed record with the characters above removed from every key and string. */
function cleaned (value: unknown): unknown {
  if (typeof value === 'string') return value.replace(unsafe, '')
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(cleaned)
  const copy: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(value)) copy[key.replace(unsafe, '')] = cleaned(entry)
  return copy
}

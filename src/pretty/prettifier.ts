import { prettyFactory } from 'pino-pretty'
import type { PrettyOptions } from './pretty-options.js'

/**
 * What a terminal must not be handed raw: C0 controls other than tab, line
 * feed and carriage return (ESC starts ANSI and OSC sequences), DEL, C1,
 * the bidirectional controls (they reorder what a reader sees) and the
 * Unicode line and paragraph separators. pino-pretty strips C0 and C1 from
 * the message and stacks, and quotes other values as JSON (which escapes
 * C0 only); this removes the rest, from keys and values alike.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g
/** In the event name, which pino-pretty shows unquoted, line breaks too: one record never looks like two. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafeInEvent = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

/**
 * Turns one JSON line, as pino writes it, into pino-pretty's text: the time,
 * the level, the event name in bold, then the fields. Lines that are not
 * JSON are shown as they are, cleaned the same way.
 */
export function createPrettifier (options: PrettyOptions): (line: string) => string {
  const prettify = prettyFactory({
    colorize: options.colorize,
    singleLine: options.singleLine,
    translateTime: options.translateTime,
    ignore: options.ignore.join(','),
    messageKey: 'event',
    messageFormat: (record, key, _level, extras) => {
      const event = String(record[key] ?? '').replace(unsafeInEvent, ' ')
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
    return prettify(cleaned(record) as Record<string, unknown>)
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

import { alertView, type AlertView } from '../shared/alert-view.js'
import type { LogRecord } from '../shared/runtime.js'
import { compileText, windowText, type Render } from '../shared/template.js'
import { unsafeText, withoutUnsafeCharacters } from '../shared/control-characters.js'

/** Twilio's limit for one message body. */
export const maxBodyLength = 1600

/** The default body: level, event, the first fields, the correlation id. */
export const defaultBody = '[{{level}}] {{event}}{{#if summary}}: {{summary}}{{/if}}{{#if correlation_id}} [{{correlation_id}}]{{/if}}'

/** What a throttle window's held alerts become: one summary message with the count. */
const summaryBody = compileText('[{{level}}] {{event}}: {{count}} more in {{window}} (last at {{last}})')

const summaryFields = 6
const summaryValueLength = 40

/**
 * The alert view with `summary`: the record's first fields as `name=value`,
 * values cut short (with "...": "…" is not GSM-7 and would double the cost).
 * A value is cleaned before it is cut: a cut through a terminal sequence
 * would leave its tail (`8;;https://...`) for the body's cleaning to miss.
 */
function smsView (record: LogRecord): AlertView & { summary: string } {
  const view = alertView(record)
  const summary = view.fields.slice(0, summaryFields).map(({ name, value }) => {
    const text = withoutUnsafeCharacters(value)
    return `${name}=${text.length > summaryValueLength ? text.slice(0, summaryValueLength - 3) + '...' : text}`
  }).join(', ')
  return { ...view, summary }
}

export function bodyRenderer (template: string): (record: LogRecord) => string {
  const render: Render = compileText(template)
  return (record) => cleanBody(render(smsView(record)))
}

export function summaryText (records: readonly LogRecord[], windowMs: number): string {
  const first = alertView(records[0]!)
  const last = alertView(records.at(-1)!)
  return cleanBody(summaryBody({ level: first.level, event: first.event, count: records.length, window: windowText(windowMs), last: last.time }))
}

/**
 * A body safe to send: terminal sequences (`ESC [31m`, OSC titles and
 * links) removed whole, control characters other than line feed, DEL, C1
 * controls and bidirectional overrides removed (CR and the Unicode line
 * separators become line feeds), cut to 1600 characters without splitting a
 * surrogate pair.
 */
export function cleanBody (text: string): string {
  const cleaned = text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(unsafeText, '')
    .replaceAll('\t', '')
    .trim()
  if (cleaned.length <= maxBodyLength) return cleaned
  const cut = cleaned.slice(0, maxBodyLength)
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut
}

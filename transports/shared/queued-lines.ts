import { newEventId, withEventId } from './event-id.js'
import { describeFailure } from './retry.js'
import type { LogRecord } from './transport-types.js'
import { withoutViewerMessage } from './viewer-message.js'

/** A queued record: its line as received, or the record when `events` already parsed it. */
export type Entry = string | LogRecord

/**
 * The line as a string of its own. A line is a slice of the chunk it came in
 * (megabytes): a queued slice would keep its whole chunk alive, and a queue
 * that frees slots slowly would pin hundreds of them.
 */
export function detached (line: string): string {
  return (' ' + line).slice(1)
}

/** Where a record a destination read itself (Destination.readLine) keeps its line. */
export const recordLine = Symbol('daslog.recordLine')
interface LineBacked { readonly [recordLine]?: string }

/** A line's record; undefined when the line is not a JSON object. */
export function parseLine (line: string): LogRecord | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? withoutViewerMessage(value as LogRecord) : undefined
  } catch {
    return undefined
  }
}

/**
 * An entry as the JSON of a dead letter's `record`, with its event id (given
 * now if it has none, so a replay stores or sends it under that id): a line
 * from pino (or a record read from one) as it is (a JSON object: `{` to
 * `}`), any other line as a JSON string.
 */
export function entryJson (entry: Entry): string {
  if (typeof entry === 'string') return lineJson(entry)
  const line = (entry as LineBacked)[recordLine]
  if (line !== undefined) return lineJson(line)
  if (entry.event_id === undefined) entry.event_id = newEventId()
  try {
    return JSON.stringify(entry)
  } catch (error) {
    return JSON.stringify({ daslog_error: `the record could not be serialized: ${describeFailure(error)}` })
  }
}

function lineJson (line: string): string {
  const trimmed = line.trim()
  return trimmed.startsWith('{') && trimmed.endsWith('}') ? withEventId(trimmed) : JSON.stringify(line)
}

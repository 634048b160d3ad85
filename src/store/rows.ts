import type { Catalog } from '../catalog/types.js'
import { levelValues } from '../levels.js'
import { uuidPattern } from '../../transports/shared/event-id.js'
import { StoreError } from './store-error.js'

/** A record as the application logged it: `event_id`, `time`, `level`, `event`, `correlation_id`, then its fields. */
export type StoredEvent = Record<string, unknown>

/** The columns of a row besides `data`, in the order of the table and the insert. */
const columnFields = new Set(['event_id', 'time', 'level', 'event', 'correlation_id', 'service'])

/** The columns of a record in the inserts' `jsonb_to_recordset` (the `InsertRow` below). */
export const recordsetColumns = 'event_id uuid, time timestamptz, level smallint, event text, domain text, action text, status text, correlation_id text, service text, data jsonb'

/** One row as `jsonb_to_recordset` reads it. */
export interface InsertRow {
  event_id: string
  time: string
  level: number | null
  event: string
  domain: string | null
  action: string | null
  status: string | null
  correlation_id: string | null
  service: string | null
  data: Record<string, unknown>
}

/** `domain`, `action` and `status` of an event: from the catalog when it has the event, else the first word, the middle and the last. */
export function eventParts (event: string, catalog: Catalog | undefined): [string | null, string | null, string | null] {
  const spec = catalog?.events[event]
  if (spec !== undefined) return [spec.domain, spec.action, spec.status]
  const words = event.split('_')
  if (words.length < 3) return [words[0] ?? null, null, words.length > 1 ? words.at(-1)! : null]
  return [words[0]!, words.slice(1, -1).join('_'), words.at(-1)!]
}

/** A time as PostgreSQL reads it: ms since the epoch, a Date, or an ISO 8601 string (UTC when it names no zone). */
export function timeText (value: unknown, option: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString()
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  if (typeof value === 'string' && isoDateTime.test(value) && !Number.isNaN(Date.parse(value))) {
    if (/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(value) && value.length > 10) return value
    return value.length === 10 ? `${value}T00:00:00Z` : `${value}Z`
  }
  throw new StoreError(option, `expected a Date, ms since the epoch or an ISO 8601 time such as "2026-01-31T12:00:00Z", got ${JSON.stringify(value) ?? typeof value}`)
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i

function levelOf (value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= -32768 && value <= 32767) return value
  return typeof value === 'string' && Object.hasOwn(levelValues, value) ? levelValues[value as keyof typeof levelValues] : null
}

const text = (value: unknown): string | null => value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value)

/**
 * The records as rows: the row columns taken out, every other field in
 * `data`. A record needs an `event_id` (a UUID) and an `event` name; `time`
 * defaults to now.
 */
export function insertRows (records: readonly StoredEvent[], catalog: Catalog | undefined): InsertRow[] {
  const now = new Date().toISOString()
  return records.map((record, i) => insertRow(record, i, catalog, now))
}

/** One record of a batch as its row (`i`, its place in the batch, for the error; `now`, the time of a record without one). */
export function insertRow (record: StoredEvent, i: number, catalog: Catalog | undefined, now: string): InsertRow {
  const { event_id: id, event } = record
  if (typeof id !== 'string' || !uuidPattern.test(id)) throw new StoreError(`records[${i}].event_id`, `expected a UUID, got ${JSON.stringify(id) ?? typeof id}`)
  if (typeof event !== 'string' || event === '') throw new StoreError(`records[${i}].event`, 'expected an event name')
  // No prototype: a field named __proto__ is a field like any other.
  const data: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const key in record) {
    if (!columnFields.has(key) && !(key === 'msg' && record.msg === event)) data[key] = record[key]
  }
  const [domain, action, status] = eventParts(event, catalog)
  return {
    event_id: id,
    time: record.time === undefined ? now : timeOrNow(record.time, now),
    level: levelOf(record.level),
    event,
    domain,
    action,
    status,
    correlation_id: text(record.correlation_id),
    service: text(record.service),
    data
  }
}

/** The rows as one JSON parameter for `jsonb_to_recordset`. */
export function rowsJson (rows: readonly InsertRow[]): string {
  return withoutNul(JSON.stringify(rows))
}

function timeOrNow (value: unknown, now: string): string {
  try {
    return timeText(value, 'time')
  } catch {
    return now
  }
}

/**
 * PostgreSQL text cannot hold U+0000: `\u0000` escapes in the JSON (not an
 * escaped backslash followed by `u0000`) become U+FFFD, so such a record is
 * stored rather than refusing its whole batch.
 */
function withoutNul (json: string): string {
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : json
}

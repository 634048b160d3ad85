import { patternProblem } from '../event-pattern.js'
import { isLevelName, levelValues, type LevelName } from '../levels.js'
import { timeText, type StoredEvent } from './rows.js'
import { StoreError } from './store-error.js'

/** What `query()` takes: every filter optional, all of them must hold. */
export interface QueryFilter {
  /** Event names or globs (`payment_*`, `*_failed`); `_` is a literal underscore. */
  readonly event?: string | readonly string[] | undefined
  readonly correlationId?: string | undefined
  /** A minimum level name: `warn` finds warn, error and fatal. */
  readonly level?: LevelName | undefined
  /** Both ends included. A Date, or an ISO 8601 string (UTC when it names no zone). */
  readonly from?: Date | string | undefined
  readonly to?: Date | string | undefined
  /** Field values, compared as text (`seq: '7'` finds the number 7); dotted names reach nested fields. */
  readonly where?: Readonly<Record<string, string | number | boolean>> | undefined
  /** At most this many events (default 100; above 1000 reads as 1000). */
  readonly limit?: number | undefined
  /** The `next` cursor of the page before. */
  readonly after?: string | undefined
}

export interface QueryResult {
  /** Newest first, each in the shape it was logged. */
  readonly events: StoredEvent[]
  /** The cursor of the next page (`after`), or null on the last one. */
  readonly next: string | null
}

export const defaultLimit = 100
export const maxLimit = 1000

/** A row as the query selects it. */
export interface QueryRow {
  event_id: string
  /** Exact to the microsecond, UTC: the cursor's half. */
  cursor_time: string
  level: number | null
  event: string
  correlation_id: string | null
  service: string | null
  data: Record<string, unknown> | string
}

/**
 * The SELECT of a filter. Everything from the filter is a bound parameter,
 * field names of `where` included; only the table name (checked when the
 * store opened) is written into the SQL. Newest first, by `(time,
 * event_id)`, one row more than the limit to know whether a next page exists.
 */
export function querySql (table: string, filter: QueryFilter): { sql: string, params: unknown[], limit: number } {
  const params: unknown[] = []
  const bind = (value: unknown): string => { params.push(value); return `$${params.length}` }
  const conditions: string[] = []
  if (filter.event !== undefined) conditions.push(eventCondition(filter.event, bind))
  if (filter.correlationId !== undefined) {
    if (typeof filter.correlationId !== 'string') throw new StoreError('filter.correlationId', 'expected a string')
    conditions.push(`correlation_id = ${bind(filter.correlationId)}`)
  }
  if (filter.level !== undefined) {
    if (!isLevelName(filter.level)) throw new StoreError('filter.level', `expected a level name (${Object.keys(levelValues).join(', ')}), got ${JSON.stringify(filter.level)}`)
    conditions.push(`level >= ${bind(levelValues[filter.level])}`)
  }
  if (filter.from !== undefined) conditions.push(`time >= ${bind(timeText(filter.from, 'filter.from'))}::timestamptz`)
  if (filter.to !== undefined) conditions.push(`time <= ${bind(timeText(filter.to, 'filter.to'))}::timestamptz`)
  for (const [field, value] of Object.entries(filter.where ?? {})) conditions.push(whereCondition(field, value, bind))
  if (filter.after !== undefined) {
    const [time, id] = decodeCursor(filter.after)
    conditions.push(`(time, event_id) < (${bind(time)}::timestamptz, ${bind(id)}::uuid)`)
  }
  const limit = limitOf(filter.limit)
  const sql = `SELECT event_id::text AS event_id,
  to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time,
  level, event, correlation_id, service, data
FROM ${table}${conditions.length === 0 ? '' : `\nWHERE ${conditions.join('\n  AND ')}`}
ORDER BY time DESC, event_id DESC
LIMIT ${bind(limit + 1)}`
  return { sql, params, limit }
}

function limitOf (limit: unknown): number {
  if (limit === undefined) return defaultLimit
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new StoreError('filter.limit', `expected a whole number from 1 to ${maxLimit}, got ${JSON.stringify(limit)}`)
  return Math.min(limit, maxLimit)
}

/**
 * Exact names compare with `=` (the `(event, time)` index serves them),
 * globs with LIKE, where `*` is the only wildcard: `_`, `%` and `\` are
 * escaped to mean themselves.
 */
function eventCondition (event: string | readonly string[], bind: (value: unknown) => string): string {
  const patterns = typeof event === 'string' ? [event] : event
  if (!Array.isArray(patterns) || patterns.length === 0) throw new StoreError('filter.event', 'expected an event name or glob, or a list of them')
  const exact: string[] = []
  const likes: string[] = []
  for (const pattern of patterns) {
    const problem = patternProblem(pattern)
    if (problem !== undefined) throw new StoreError('filter.event', problem)
    if (pattern.includes('*')) likes.push(pattern.replace(/[\\%_]/g, '\\$&').replaceAll('*', '%'))
    else exact.push(pattern)
  }
  const parts: string[] = []
  if (exact.length > 0) parts.push(`event = ANY(${bind(exact)}::text[])`)
  if (likes.length > 0) parts.push(`event LIKE ANY(${bind(likes)}::text[])`)
  return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`
}

/**
 * A field of `data` equal to a value as text: `data #>> path` for the
 * comparison, and a containment test (`data @> {...}`) that the GIN index
 * on `data` can serve, for the value as a string and, when the text reads
 * as a JSON number or boolean, as that too.
 */
function whereCondition (field: string, value: unknown, bind: (value: unknown) => string): string {
  if (field === '' || field.split('.').some((part) => part === '')) throw new StoreError(`filter.where["${field}"]`, 'expected a field name (dotted names reach nested fields)')
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new StoreError(`filter.where["${field}"]`, `expected a string, number or boolean, got ${value === null ? 'null' : typeof value}`)
  const path = field.split('.')
  const wanted = String(value)
  const shapes: unknown[] = [wanted]
  const parsed = jsonScalar(wanted)
  if (parsed !== undefined) shapes.push(parsed)
  const contains = shapes.map((shape) => `data @> ${bind(JSON.stringify(nested(path, shape)))}::jsonb`)
  return `(${contains.join(' OR ')}) AND data #>> ${bind(path)}::text[] = ${bind(wanted)}`
}

function jsonScalar (text: string): number | boolean | undefined {
  if (text === 'true') return true
  if (text === 'false') return false
  if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) return undefined
  const number = Number(text)
  return Number.isFinite(number) ? number : undefined
}

function nested (path: readonly string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value)
}

/** A row as the event it was: event_id, time (ISO, ms), level, event, correlation_id, service when set, then its fields. */
export function eventOf (row: QueryRow): StoredEvent {
  const data = typeof row.data === 'string' ? JSON.parse(row.data) as Record<string, unknown> : row.data
  const lead: Array<[string, unknown]> = [['event_id', row.event_id], ['time', `${row.cursor_time.slice(0, 23)}Z`], ['level', row.level], ['event', row.event]]
  if (row.correlation_id !== null) lead.push(['correlation_id', row.correlation_id])
  if (row.service !== null) lead.push(['service', row.service])
  // fromEntries defines each key, so a field named __proto__ stays a field.
  return Object.fromEntries([...lead, ...Object.entries(data)])
}

/** The opaque cursor after a row: its exact time and event id. */
export function encodeCursor (row: QueryRow): string {
  return Buffer.from(JSON.stringify([row.cursor_time, row.event_id])).toString('base64url')
}

function decodeCursor (after: unknown): [string, string] {
  if (typeof after === 'string') {
    try {
      const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'))
      if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value[0]) && /^[0-9a-f-]{36}$/.test(value[1])) return [value[0], value[1]]
    } catch {}
  }
  throw new StoreError('filter.after', 'expected the `next` cursor of an earlier page')
}

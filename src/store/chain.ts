import { hash } from 'node:crypto'

/** The `prev_hash` of a chain's first row. */
export const genesisHash = '0'.repeat(64)

/** The chain of a store or an insert that names none. */
export const defaultChainKey = 'default'

/**
 * A row as PostgreSQL stores it, every column as its text (`canonicalColumnsSql`):
 * the time with its microseconds, the level and the numbers in `data` as stored,
 * the event id lowercased.
 */
export interface CanonicalRow {
  event_id: string
  time: string
  level: string | null
  event: string
  domain: string | null
  action: string | null
  status: string | null
  correlation_id: string | null
  service: string | null
  /** jsonb's own text. */
  data: string
}

/** A stored time as the chain hashes it: UTC, with its microseconds (`2026-03-01T12:00:00.123456Z`). */
export const storedTimeSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

/**
 * The columns a row's hash covers, as text PostgreSQL makes from what it
 * stores (`alias` is the table or record set they are read from). The insert
 * reads them from the records it is about to store and `verify` from the
 * stored rows: the same casts, so both hash the same text.
 */
export function canonicalColumnsSql (alias: string): string {
  const c = (column: string): string => `${alias}.${column}`
  return `${c('event_id')}::text AS event_id, ${storedTimeSql(c('time'))} AS time, ${c('level')}::text AS level, ${c('event')}, ${c('domain')}, ${c('action')}, ${c('status')}, ${c('correlation_id')}, ${c('service')}, ${c('data')}::text AS data`
}

/** A string as JSON text, or `null`. */
const quoted = (value: string | null): string => value === null ? 'null' : JSON.stringify(value)

/**
 * A row as canonical JSON (RFC 8785 style): keys sorted, no whitespace,
 * strings as JSON.stringify writes them, numbers (the level, those inside
 * `data`) as PostgreSQL stores them, so `5` and `5.0` differ.
 */
export function canonicalRow (row: CanonicalRow): string {
  return canonicalRowOf(quotedColumns(row), canonicalJson(row.data))
}

/** A row's columns but `data` as the canonical row writes them: strings quoted (or `null`), the level as its number. */
export interface QuotedColumns {
  readonly event_id: string
  readonly time: string
  readonly level: string
  readonly event: string
  readonly domain: string
  readonly action: string
  readonly status: string
  readonly correlation_id: string
  readonly service: string
}

/** The quoted columns of a row read through `canonicalColumnsSql`. */
export function quotedColumns (row: Omit<CanonicalRow, 'data'>): QuotedColumns {
  return {
    event_id: quoted(row.event_id),
    time: quoted(row.time),
    level: row.level ?? 'null',
    event: quoted(row.event),
    domain: quoted(row.domain),
    action: quoted(row.action),
    status: quoted(row.status),
    correlation_id: quoted(row.correlation_id),
    service: quoted(row.service)
  }
}

/** `canonicalRow` from its quoted columns and the canonical JSON of its data. */
export function canonicalRowOf (q: QuotedColumns, canonicalData: string): string {
  return `{"action":${q.action},"correlation_id":${q.correlation_id},"data":${canonicalData},"domain":${q.domain},"event":${q.event},"event_id":${q.event_id},"level":${q.level},"service":${q.service},"status":${q.status},"time":${q.time}}`
}

/** SHA-256 (hex) of the row's canonical JSON: what its link hashes, computable before the row's place in the chain is known. */
export function rowDigest (row: CanonicalRow): string {
  return hash('sha256', canonicalRow(row))
}

/** A row's `hash`: SHA-256 (hex) over the previous row's hash, a newline and the row's digest. */
export function linkHash (prevHash: string, digest: string): string {
  return hash('sha256', `${prevHash}\n${digest}`)
}

/** `linkHash(prevHash, rowDigest(row))`. */
export function chainHash (prevHash: string, row: CanonicalRow): string {
  return linkHash(prevHash, rowDigest(row))
}

/**
 * JSON text (jsonb's output) in canonical form: object keys sorted by UTF-16
 * code units, no whitespace, each number kept as the text it was written
 * with (JSON.parse would turn `5.0` into `5`, and a changed number into the
 * same one). Strings are copied as written: jsonb escapes exactly what
 * JSON.stringify does (`"`, `\\`, control characters, `\u00xx` in lowercase).
 * A scanner rather than a parse: verify runs it on every row.
 */
export function canonicalJson (text: string): string {
  let at = 0
  const fail = (): never => { throw new SyntaxError(`not JSON at ${at}: ${text.slice(at, at + 20)}`) }
  const space = (): void => {
    for (let c = text.charCodeAt(at); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++at));
  }
  /** A string token as written, quotes included; `at` moves past it. */
  const string = (): string => {
    if (text.charCodeAt(at) !== 34) fail()
    const start = at++
    for (let c = text.charCodeAt(at); c !== 34; c = text.charCodeAt(at)) {
      if (Number.isNaN(c)) fail()
      at += c === 92 ? 2 : 1
    }
    return text.slice(start, ++at)
  }
  const value = (): string => {
    space()
    const c = text.charCodeAt(at)
    if (c === 123) { // {
      at++
      space()
      if (text.charCodeAt(at) === 125) { at++; return '{}' }
      const entries: Array<[string, string, string]> = []
      for (;;) {
        space()
        const key = string()
        space()
        if (text.charCodeAt(at++) !== 58) fail()
        entries.push([key.includes('\\') ? JSON.parse(key) as string : key.slice(1, -1), key, value()])
        space()
        const next = text.charCodeAt(at++)
        if (next === 44) continue
        if (next !== 125) fail()
        break
      }
      if (entries.length > 1) entries.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
      let out = '{'
      for (let i = 0; i < entries.length; i++) out += `${i === 0 ? '' : ','}${entries[i]![1]}:${entries[i]![2]}`
      return `${out}}`
    }
    if (c === 91) { // [
      at++
      space()
      if (text.charCodeAt(at) === 93) { at++; return '[]' }
      let out = '['
      for (let first = true; ; first = false) {
        out += `${first ? '' : ','}${value()}`
        space()
        const next = text.charCodeAt(at++)
        if (next === 44) continue
        if (next !== 93) fail()
        break
      }
      return `${out}]`
    }
    if (c === 34) return string()
    const start = at
    for (let d = text.charCodeAt(at); (d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69 || (d >= 97 && d <= 122); d = text.charCodeAt(++at));
    const token = text.slice(start, at)
    if (token !== 'true' && token !== 'false' && token !== 'null' && !/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(token)) fail()
    return token
  }
  const result = value()
  space()
  if (at !== text.length) fail()
  return result
}

import { createHash } from 'node:crypto'

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

/**
 * The columns a row's hash covers, as text PostgreSQL makes from what it
 * stores (`alias` is the table or record set they are read from). The insert
 * reads them from the records it is about to store and `verify` from the
 * stored rows: the same casts, so both hash the same text.
 */
export function canonicalColumnsSql (alias: string): string {
  const c = (column: string): string => `${alias}.${column}`
  return `${c('event_id')}::text AS event_id, to_char(${c('time')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time, ${c('level')}::text AS level, ${c('event')}, ${c('domain')}, ${c('action')}, ${c('status')}, ${c('correlation_id')}, ${c('service')}, ${c('data')}::text AS data`
}

const quoted = (value: string | null): string => value === null ? 'null' : JSON.stringify(value)

/**
 * A row as canonical JSON (RFC 8785 style): keys sorted, no whitespace,
 * strings as JSON.stringify writes them, numbers (the level, those inside
 * `data`) as PostgreSQL stores them, so `5` and `5.0` differ.
 */
export function canonicalRow (row: CanonicalRow): string {
  return `{"action":${quoted(row.action)},"correlation_id":${quoted(row.correlation_id)},"data":${canonicalJson(row.data)},"domain":${quoted(row.domain)},"event":${quoted(row.event)},"event_id":${quoted(row.event_id)},"level":${row.level ?? 'null'},"service":${quoted(row.service)},"status":${quoted(row.status)},"time":${quoted(row.time)}}`
}

/** SHA-256 (hex) over the previous row's hash, a newline and the row's canonical JSON. */
export function chainHash (prevHash: string, row: CanonicalRow): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(row)).digest('hex')
}

const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const literal = /true|false|null/y

/**
 * JSON text (jsonb's output) in canonical form: object keys sorted by UTF-16
 * code units, no whitespace, strings re-escaped as JSON.stringify does, and
 * each number kept as the text it was written with (JSON.parse would turn
 * `5.0` into `5`, and a changed number into the same one).
 */
export function canonicalJson (text: string): string {
  let at = 0
  const space = (): void => {
    for (let c = text.charCodeAt(at); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++at));
  }
  const fail = (): never => { throw new SyntaxError(`not JSON at ${at}: ${text.slice(at, at + 20)}`) }
  const string = (): string => {
    if (text[at] !== '"') fail()
    const start = at++
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1
    at++
    return JSON.parse(text.slice(start, at)) as string
  }
  const value = (): string => {
    space()
    const c = text[at]
    if (c === '{') {
      at++
      const entries: Array<[string, string]> = []
      space()
      if (text[at] === '}') { at++; return '{}' }
      for (;;) {
        space()
        const key = string()
        space()
        if (text[at++] !== ':') fail()
        entries.push([key, value()])
        space()
        if (text[at] === ',') { at++; continue }
        if (text[at++] !== '}') fail()
        break
      }
      entries.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
      return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${inner}`).join(',')}}`
    }
    if (c === '[') {
      at++
      const items: string[] = []
      space()
      if (text[at] === ']') { at++; return '[]' }
      for (;;) {
        items.push(value())
        space()
        if (text[at] === ',') { at++; continue }
        if (text[at++] !== ']') fail()
        break
      }
      return `[${items.join(',')}]`
    }
    if (c === '"') return JSON.stringify(string())
    for (const pattern of [number, literal]) {
      pattern.lastIndex = at
      const match = pattern.exec(text)
      if (match !== null) { at += match[0].length; return match[0] }
    }
    return fail()
  }
  const result = value()
  space()
  if (at !== text.length) fail()
  return result
}

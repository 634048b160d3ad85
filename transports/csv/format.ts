import { levelNameOf } from '../../src/levels.js'
import { eightBitSequences, unsafeCharacters, unsafeText } from '../shared/control-characters.js'

/** The columns a CSV file has when none are given; `data` holds the record's other fields as JSON. */
export const defaultColumns = ['time', 'level', 'event', 'correlation_id', 'data'] as const

/** Fields pino adds to every line of a process, and the event id daslog's worker adds: never part of `data` (a column of that name shows one). */
const processFields = new Set(['pid', 'hostname', 'event_id'])

/**
 * Terminal sequences (`ESC [31m`, OSC titles and links) whole, then C0
 * controls other than tab, LF and CR, DEL, C1 controls and the
 * bidirectional controls: stripped from every cell.
 */
const strippedText = unsafeText
/**
 * Whitespace a spreadsheet may trim before it reads a cell (LibreOffice's
 * "Trim spaces"): Unicode white space (`\s`: space, tab, line breaks,
 * U+00A0, U+2000-U+200A, U+3000, U+FEFF, ...) and the invisible U+180E,
 * U+200B-U+200D and U+2060.
 */
const leadingSpace = String.raw`[\s\u180e\u200b-\u200d\u2060]`
/** A cell a spreadsheet could read as a formula: `= + - @` as its first character after leading whitespace, or a tab or CR first. */
const formulaStart = new RegExp(String.raw`^(?:[\t\r]|${leadingSpace}*[=+\-@])`)
const needsQuotes = /[",\r\n]/
/** Anything the three steps below would change: most cells have none, and are returned as they are. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const needsWork = new RegExp(String.raw`^(?:[=+\-@]|${leadingSpace})|` + /[\u0000-\u001F\u007F-\u009F",\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/.source)

/** One cell of text: terminal sequences and controls stripped, a formula start neutralized with `'`, quoted as RFC 4180 asks. */
export function csvCell (text: string, neutralize = true): string {
  if (!needsWork.test(text)) return text
  let cell = text.replace(strippedText, '')
  if (neutralize && formulaStart.test(cell)) cell = `'${cell}`
  return needsQuotes.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell
}

/** The header line (CRLF-terminated) of a column list. */
export function headerLine (columns: readonly string[]): string {
  return columns.map((column) => csvCell(column)).join(',') + '\r\n'
}

export type RowFormatter = (record: Record<string, unknown>) => string

/**
 * Compiles a column list into a function from a record to one CRLF-terminated
 * row. `time` is written as ISO 8601 (UTC) and `level` by name; a column with
 * dots reads a nested field when the record has no key of that exact name;
 * objects and arrays are written as JSON; numbers and booleans as they are
 * (never neutralized: `-5` is a number, not a formula).
 */
export function rowFormatter (columns: readonly string[]): RowFormatter {
  const dataKeys = dataKeyTexts(new Set(columns))
  const cells = columns.map((column): (record: Record<string, unknown>) => string => {
    if (column === 'data') return (record) => dataCell(record, dataKeys)
    if (column === 'time') return (record) => typeof record.time === 'number' ? isoTime(record.time) : valueCell(record.time)
    if (column === 'level') return (record) => typeof record.level === 'number' ? levelNameOf(record.level) : valueCell(record.level)
    const path = column.split('.')
    if (path.length === 1) return (record) => valueCell(record[column])
    return (record) => valueCell(Object.hasOwn(record, column) ? record[column] : readPath(record, path))
  })
  // One call site per column (c0(record) + ',' + c1(record) ...), each seeing one function, where a loop
  // over the cells calls five different ones from one site (timed with the data cell's one Map lookup
  // below: a row of the bench's record 0.93 -> 0.67 us).
  const source = `return (record) => ${cells.map((_, i) => `c${i}(record)`).join(" + ',' + ")} + '\\r\\n'`
  return new Function(...cells.map((_, i) => `c${i}`), source)(...cells) as RowFormatter
}

function valueCell (value: unknown): string {
  switch (typeof value) {
    case 'undefined': return ''
    case 'string': return csvCell(value)
    case 'number':
    case 'boolean': return String(value)
    default: return value === null ? '' : csvCell(JSON.stringify(value))
  }
}

let lastTime = NaN
let lastIso = ''

/** ISO 8601 of an epoch-ms time; records come in bursts within one millisecond, so the last one is kept. */
export function isoTime (time: number): string {
  if (time !== lastTime) {
    lastTime = time
    const date = new Date(time)
    // A number no Date can hold (NaN, Infinity, past ±8.64e15 ms) is written as it is: toISOString would throw and fail the whole batch.
    lastIso = Number.isNaN(date.getTime()) ? String(time) : date.toISOString()
  }
  return lastIso
}

/** A string JSON and the cell would write as it is: no quote, backslash, control, bidi control or surrogate. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const needsJsonCare = /["\\\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/

/**
 * JSON text as it sits inside a quoted cell: stripped characters removed,
 * quotes doubled. In JSON text the C0 controls are already `\u001b`-style
 * escapes, so only raw characters are stripped, one by one (a sequence
 * pattern run over JSON text could swallow its quotes and commas).
 */
function jsonInCell (json: string): string {
  return json.replace(unsafeCharacters, '').replaceAll('"', '""')
}

/** A raw C1 control that opens a terminal sequence (CSI U+009B, OSC U+009D, DCS, SOS, PM, APC). */
const eightBitIntroducer = /[\u0090\u0098\u009b\u009d-\u009f]/

function withoutEightBitSequences (_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.replace(eightBitSequences, '') : value
}

/**
 * A value as JSON; when it holds an 8-bit terminal sequence (`U+009B 31m`),
 * serialized again with those sequences removed whole from its strings, so
 * no `31m` is left behind. (ESC sequences need nothing: JSON writes the ESC
 * as `\u001b`, which no terminal acts on.)
 */
function valueJson (value: unknown): string | undefined {
  const json = JSON.stringify(value)
  return json !== undefined && eightBitIntroducer.test(json) ? JSON.stringify(value, withoutEightBitSequences) : json
}

/**
 * What the data cell writes for each key: `""key"":` as it sits inside a
 * quoted cell, or '' for a key it leaves out (a column of its own, pino's
 * pid and hostname, the event id); kept for the keys records repeat
 * (bounded: odd keys are not kept).
 */
export type DataKeys = (key: string) => string

export function dataKeyTexts (named: ReadonlySet<string>): DataKeys {
  const texts = new Map<string, string>()
  return (key) => {
    let text = texts.get(key)
    if (text === undefined) {
      text = named.has(key) || processFields.has(key) ? '' : jsonInCell(JSON.stringify(key.replace(eightBitSequences, ''))) + ':'
      if (texts.size < 1_000) texts.set(key, text)
    }
    return text
  }
}

/**
 * The fields no column names (pino's pid and hostname aside), as one JSON
 * object in a quoted cell, or an empty cell. Written straight into its
 * quoted form: plain strings and numbers (nearly every value) skip
 * JSON.stringify and the escaping pass.
 */
function dataCell (record: Record<string, unknown>, dataKeys: DataKeys): string {
  let cell = ''
  for (const key in record) {
    const keyText = dataKeys(key)
    if (keyText === '') continue
    const value = record[key]
    let json: string
    if (typeof value === 'string' && !needsJsonCare.test(value)) {
      json = `""${value}""`
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      json = String(value)
    } else {
      const text = valueJson(value)
      if (text === undefined) continue
      json = jsonInCell(text)
    }
    cell += (cell === '' ? '"{' : ',') + keyText + json
  }
  return cell === '' ? '' : cell + '}"'
}

function readPath (record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

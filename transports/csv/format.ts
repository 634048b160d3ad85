import { levelNameOf } from '../../src/levels.js'

/** The columns a CSV file has when none are given; `data` holds the record's other fields as JSON. */
export const defaultColumns = ['time', 'level', 'event', 'correlation_id', 'data'] as const

/** Fields pino adds to every line of a process: never part of `data`. */
const processFields = new Set(['pid', 'hostname'])

/** C0 controls other than tab, LF and CR, DEL, and the bidirectional controls: stripped from every cell. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const strippedCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g
/** A cell a spreadsheet could read as a formula. */
const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

/** One cell of text: controls stripped, a formula start neutralized with `'`, quoted as RFC 4180 asks. */
export function csvCell (text: string, neutralize = true): string {
  let cell = text.replace(strippedCharacters, '')
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
  const named = new Set(columns)
  const cells = columns.map((column): (record: Record<string, unknown>) => string => {
    if (column === 'data') return (record) => dataCell(record, named)
    if (column === 'time') return (record) => typeof record.time === 'number' ? new Date(record.time).toISOString() : valueCell(record.time)
    if (column === 'level') return (record) => typeof record.level === 'number' ? levelNameOf(record.level) : valueCell(record.level)
    const path = column.split('.')
    if (path.length === 1) return (record) => valueCell(record[column])
    return (record) => valueCell(Object.hasOwn(record, column) ? record[column] : readPath(record, path))
  })
  return (record) => {
    let row = ''
    for (let i = 0; i < cells.length; i++) row += (i === 0 ? '' : ',') + cells[i]!(record)
    return row + '\r\n'
  }
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

/** The fields no column names (pino's pid and hostname aside), as one JSON object, or an empty cell. */
function dataCell (record: Record<string, unknown>, named: ReadonlySet<string>): string {
  let rest: Record<string, unknown> | undefined
  for (const key in record) {
    if (named.has(key) || processFields.has(key)) continue
    rest ??= {}
    rest[key] = record[key]
  }
  return rest === undefined ? '' : csvCell(JSON.stringify(rest), false)
}

function readPath (record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

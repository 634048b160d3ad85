import { levelNameOf } from '../../src/levels.js'
import { viewerMessageKey, withoutViewerMessage } from '../shared/viewer-message.js'
import { csvCell, dataKeyTexts, isoTime, type RowFormatter } from './format.js'

/**
 * A line's CSV row, or undefined for a line that is not a JSON object. The
 * row is byte for byte what `rowFormatter` makes of the parsed record
 * (test/transports/csv-line-row.test.ts checks that on every case and on
 * random lines), made without parsing where the line has a shape seen before.
 */
export type LineRow = (line: string) => string | undefined

/*
 * Why: parsing a line was half the csv worker's work on a record, and that
 * worker bounds the file scenario. Records of one call site share their keys
 * in one order (a shape), so a shape is learned from a parsed record and
 * compiled to a regular expression that reads a line of that shape and its
 * values in one native pass; the row is made from what it captured.
 *
 * A line matches only if a parse would give exactly what it captured: its
 * keys in that order, each once, no whitespace, and every value a string
 * without escapes or characters a cell treats with care, a number written as
 * JSON.stringify writes it, true, false or null. Anything else (a nested
 * value, an escape, `1.50`, an emoji) is parsed and formatted as before.
 */

/** The characters a plain string value may hold: no quote, backslash, control, C1, bidi control or surrogate. */
const plainCharacters = String.raw`[^"\\\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]`
const plainString = `"${plainCharacters}*"`
/**
 * Numbers whose text is what JSON.stringify writes of their value: an
 * integer of up to 15 digits (no `-0`), or a decimal of up to 6 + 6 digits
 * not ending in 0 (at most 12 significant digits, which a double gives back
 * as written, and never under 1e-6, which is written with an exponent).
 */
const canonicalNumber = String.raw`0|-?[1-9]\d{0,14}|-?(?:0|[1-9]\d{0,5})\.\d{0,5}[1-9]`
const scalar = `${plainString}|${canonicalNumber}|true|false|null`
const capturedScalar = `(${scalar})`
const skippedScalar = `(?:${scalar})`
const plainKey = new RegExp(`^${plainCharacters}*$`)

/** Shapes tried on each line, the last one matched first. */
const triedShapes = 4
/** Shapes learned, at most; past that, lines of a new shape are parsed. */
const keptShapes = 256

/** What the row does with a key's value: its column's cell, or a part of `data`. */
const inColumn = 1
const inData = 2

interface Shape {
  readonly pattern: RegExp
  readonly row: (match: RegExpExecArray) => string
}

/** Column kinds: a value as it is, `time` (a number as ISO 8601) and `level` (a number by name). */
const plainKind = 0
const timeKind = 1
const levelKind = 2

/** How a column writes a scalar: as valueCell writes it, `time` and `level` numbers as their columns do. */
function columnCell (text: string, kind: number): string {
  const first = text.charCodeAt(0)
  if (first === 0x22) return csvCell(text.slice(1, -1))
  if (first === 0x6e) return ''
  if (first === 0x74 || first === 0x66 || kind === plainKind) return text
  return kind === timeKind ? isoTime(Number(text)) : levelNameOf(Number(text))
}

/**
 * The line-to-row function of a column list (`toRow` is its formatter of
 * parsed records), or undefined for a list it does not serve: an `event_id`
 * column, which the runtime fills after a line is read.
 */
export function lineRowMaker (columns: readonly string[], toRow: RowFormatter): LineRow | undefined {
  if (columns.includes('event_id')) return undefined
  // The data cell's text of each key, '' for one it leaves out: rowFormatter's own rule.
  const dataKeys = dataKeyTexts(new Set(columns))
  const dataColumn = columns.indexOf('data')
  const kinds = columns.map((column) => column === 'time' ? timeKind : column === 'level' ? levelKind : plainKind)
  const learned = new Map<string, Shape>()
  const recent: Shape[] = []

  /**
   * The shape of a parsed record's keys, or undefined when lines like it must
   * be parsed. Its keys are in for...in order, the order rowFormatter writes
   * `data` in (array-index keys first): a line whose own order differs does
   * not match, and a line that matches has no key twice.
   */
  const shapeOf = (record: Record<string, unknown>): Shape | undefined => {
    const keys: string[] = []
    for (const key in record) {
      const value = record[key]
      if ((typeof value === 'object' && value !== null) || !plainKey.test(key)) return undefined
      keys.push(key)
    }
    const signature = keys.join('\u0000')
    let shape = learned.get(signature)
    if (shape === undefined && learned.size < keptShapes) {
      shape = compileShape(keys)
      learned.set(signature, shape)
    }
    return shape
  }

  const compileShape = (keys: readonly string[]): Shape => {
    let source = String.raw`^\{`
    let group = 0
    let eventGroup = 0
    let messageGroup = 0
    const columnGroups = columns.map(() => 0)
    const dataTexts: string[] = []
    const dataGroups: number[] = []
    keys.forEach((key, i) => {
      const column = columns.indexOf(key)
      const dataKey = dataColumn === -1 ? '' : dataKeys(key)
      const use = column !== -1 && column !== dataColumn ? inColumn : dataKey === '' ? undefined : inData
      const captured = use !== undefined || key === 'event' || key === viewerMessageKey
      source += `${i === 0 ? '' : ','}${escapeForPattern(JSON.stringify(key))}:${captured ? capturedScalar : skippedScalar}`
      if (!captured) return
      group++
      if (key === 'event') eventGroup = group
      if (key === viewerMessageKey) messageGroup = group
      if (use === inColumn) columnGroups[column] = group
      if (use === inData) {
        dataTexts.push(dataKey)
        dataGroups.push(group)
      }
    })
    const pattern = new RegExp(source + String.raw`\}$`)
    const dataCell = (match: RegExpExecArray, dropMessage: boolean): string => {
      let cell = ''
      for (let i = 0; i < dataGroups.length; i++) {
        const group = dataGroups[i]!
        if (dropMessage && group === messageGroup) continue
        const text = match[group]!
        cell += (cell === '' ? '"{' : ',') + dataTexts[i]! + (text.charCodeAt(0) === 0x22 ? `"${text}"` : text)
      }
      return cell === '' ? '' : cell + '}"'
    }
    const row = (match: RegExpExecArray): string => {
      // The parse path drops a `msg` that repeats `event` (withoutViewerMessage): equal texts are equal values here.
      const dropMessage = messageGroup !== 0 && eventGroup !== 0 && match[messageGroup] === match[eventGroup]
      let line = ''
      for (let i = 0; i < columnGroups.length; i++) {
        if (i > 0) line += ','
        if (i === dataColumn) {
          line += dataCell(match, dropMessage)
        } else {
          const group = columnGroups[i]!
          if (group !== 0 && !(dropMessage && group === messageGroup)) line += columnCell(match[group]!, kinds[i]!)
        }
      }
      return line + '\r\n'
    }
    return { pattern, row }
  }

  const remember = (shape: Shape): void => {
    const at = recent.indexOf(shape)
    if (at === 0) return
    if (at !== -1) recent.splice(at, 1)
    else if (recent.length === triedShapes) recent.pop()
    recent.unshift(shape)
  }

  return (line) => {
    for (let i = 0; i < recent.length; i++) {
      const shape = recent[i]!
      const match = shape.pattern.exec(line)
      if (match === null) continue
      if (i > 0) remember(shape)
      return shape.row(match)
    }
    let record: unknown
    try {
      record = JSON.parse(line)
    } catch {
      return undefined
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined
    const shape = shapeOf(record as Record<string, unknown>)
    if (shape !== undefined) remember(shape)
    return toRow(withoutViewerMessage(record as Record<string, unknown>))
  }
}

function escapeForPattern (text: string): string {
  return text.replace(/[$()*+.?[\\\]^{|}/-]/g, '\\$&')
}

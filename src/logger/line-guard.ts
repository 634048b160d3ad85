import { inConfigFile, integerOption } from '../config/option-checks.js'
import { escapeRawInJson } from '../../transports/shared/control-characters.js'

/** Strings longer than this are cut (with a marker) unless `maxStringLength` says otherwise. */
export const defaultMaxStringLength = 100_000

/** Checks `maxStringLength`: at least 64 characters, at most 100,000,000. */
export function maxStringLengthOption (value: unknown, file?: string): number {
  if (value === undefined) return defaultMaxStringLength
  return inConfigFile(file, () => integerOption('maxStringLength', value, 64, 100_000_000))
}

/**
 * pino's `streamWrite` hook for every line pino makes (daslog's own line
 * writer escapes what it writes and calls this only when a part of its line
 * is not known clean, see plain-line.ts): a line longer than
 * `maxStringLength` has its long strings cut (a length check is all a
 * normal line costs), and DEL, C1, bidi controls and U+2028/9 are escaped. pino's own
 * serializer already escapes C0 controls, quotes and lone surrogates, so
 * the line is one line of valid JSON with nothing a terminal would act on.
 * The application's own `streamWrite` hook, if any, runs after.
 */
export function lineGuard (maxStringLength: number, next?: (line: string) => string): (line: string) => string {
  const guard = (line: string): string => {
    if (line.length > maxStringLength) line = capStrings(line, maxStringLength)
    return escapeRawInJson(line)
  }
  return next === undefined ? guard : (line) => next(guard(line))
}

/** The line with every string (and key) longer than `max` cut to `max` characters and marked; a line that is not JSON is cut as a whole. */
export function capStrings (line: string, max: number): string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return `${JSON.stringify({ daslog_error: 'a line that is not JSON was cut', line: cut(line, max) })}\n`
  }
  return `${JSON.stringify(capValue(value, max))}\n`
}

function capValue (value: unknown, max: number): unknown {
  if (typeof value === 'string') return value.length > max ? cut(value, max) : value
  if (Array.isArray(value)) return value.map((item) => capValue(item, max))
  if (typeof value !== 'object' || value === null) return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) copy[key.length > max ? cut(key, max) : key] = capValue(item, max)
  return copy
}

/** The first `max` characters (never half of a surrogate pair) and a marker with the count cut. */
export function cut (text: string, max: number): string {
  let end = max
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}...[truncated ${text.length - end} characters]`
}

import { ConfigError } from '../../src/errors.js'
import { describe, isObject } from '../../src/config/option-checks.js'

/** Headers every HTTP transport sets itself: configuring one would break the request. */
const transportHeaders = ['content-length', 'transfer-encoding', 'host', 'connection']
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * The `'Name=value,Other=value'` form of Moat's webhook event logger (and of
 * OTEL_EXPORTER_OTLP_HEADERS) as an object. Each pair splits at its first
 * `=`, so values may hold `=` (base64) but not `,`: the object form takes any value.
 */
export function parsePairs (option: string, text: string): Record<string, string> {
  const pairs: Record<string, string> = {}
  for (const part of text.split(',')) {
    if (part.trim() === '') continue
    const at = part.indexOf('=')
    if (at <= 0) throw new ConfigError(option, `expected Name=value pairs separated by commas, got ${JSON.stringify(part.trim())}`)
    pairs[part.slice(0, at).trim()] = part.slice(at + 1).trim()
  }
  return pairs
}

/** An object, or a `'Name=value,Other=value'` string made one; undefined is `{}`. */
export function pairsOption (option: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value === 'string') return parsePairs(option, value)
  if (!isObject(value)) throw new ConfigError(option, `expected an object or a 'Name=value,Other=value' string, got ${describe(value)}`)
  return value
}

/**
 * `headers` (an object or a pairs string) checked: valid names, string or
 * number values without CR, LF or NUL, none of the headers daslog sets
 * itself (`reserved`, in lower case, besides content-length, host...).
 * Names come back in lower case.
 */
export function headersOption (value: unknown, reserved: readonly string[] = []): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, raw] of Object.entries(pairsOption('headers', value))) {
    if (!headerName.test(name)) throw new ConfigError('headers', `${JSON.stringify(name)} is not a valid header name`)
    const lower = name.toLowerCase()
    if (transportHeaders.includes(lower) || reserved.includes(lower)) throw new ConfigError(`headers.${name}`, 'is set by daslog and cannot be configured')
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new ConfigError(`headers.${name}`, `expected a string, got ${describe(raw)}`)
    const text = String(raw)
    if (/[\r\n\0]/.test(text)) throw new ConfigError(`headers.${name}`, 'must not contain CR, LF or NUL')
    headers[lower] = text
  }
  return headers
}

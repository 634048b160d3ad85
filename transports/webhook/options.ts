import { ConfigError } from '../../src/errors.js'
import { booleanOption, describe, integerFieldsOption, integerOption, isObject, urlOption } from '../../src/config/option-checks.js'
import { workingDirectoryDeadLetter, type OptionsSpec } from '../shared/common-options.js'
import { networkOptionNames, networkOptions, type NetworkOptions } from '../shared/network-options.js'
import type { CircuitBreakerOptions } from '../shared/circuit-breaker.js'
import { signingKey } from './signature.js'

export interface WebhookOptions extends NetworkOptions {
  readonly url: URL
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  /** Fields added to every record (they win over the record's own). */
  readonly extraArgs: Readonly<Record<string, unknown>>
  readonly sslVerify: boolean
  readonly flattenPayload: boolean
  /** false: one request per record (a JSON object); else batches (a JSON array). */
  readonly batch: { readonly size: number, readonly intervalMs: number } | false
  /** The signing keys, decoded; one signature per key. Empty: unsigned. */
  readonly signingKeys: readonly Buffer[]
  readonly concurrency: number
  readonly circuitBreaker: CircuitBreakerOptions | false
}

export const defaultBatch = { size: 100, intervalMs: 1_000 }
export const defaultConcurrency = 4
export const defaultCircuitBreaker: CircuitBreakerOptions = { failures: 5, cooldownMs: 30_000 }

/** Headers daslog sets itself: a configured one would break the request or its signature. */
const reservedHeaders = new Set(['content-length', 'transfer-encoding', 'host', 'connection', 'webhook-id', 'webhook-timestamp', 'webhook-signature'])
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * The `'Name=value,Other=value'` form of Moat's webhook event logger as an object. Each pair splits
 * at its first `=`, so values may hold `=` (base64) but not `,`: the object
 * form takes any value.
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

function pairsOption (option: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value === 'string') return parsePairs(option, value)
  if (!isObject(value)) throw new ConfigError(option, `expected an object or a 'Name=value,Other=value' string, got ${describe(value)}`)
  return value
}

function headersOption (value: unknown): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, raw] of Object.entries(pairsOption('headers', value))) {
    if (!headerName.test(name)) throw new ConfigError('headers', `${JSON.stringify(name)} is not a valid header name`)
    const lower = name.toLowerCase()
    if (reservedHeaders.has(lower)) throw new ConfigError(`headers.${name}`, 'is set by daslog and cannot be configured')
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new ConfigError(`headers.${name}`, `expected a string, got ${describe(raw)}`)
    const text = String(raw)
    if (/[\r\n\0]/.test(text)) throw new ConfigError(`headers.${name}`, 'must not contain CR, LF or NUL')
    headers[lower] = text
  }
  return headers
}

function extraArgsOption (value: unknown): Record<string, unknown> {
  const extra = pairsOption('extraArgs', value)
  for (const [name, field] of Object.entries(extra)) {
    if (name === '') throw new ConfigError('extraArgs', 'field names must not be empty')
    try {
      JSON.stringify(field)
    } catch (error) {
      throw new ConfigError(`extraArgs.${name}`, `must be JSON-serializable (${(error as Error).message})`)
    }
  }
  return extra
}

function batchOption (value: unknown): WebhookOptions['batch'] {
  if (value === false) return false
  if (value === undefined || value === true) return defaultBatch
  return integerFieldsOption('batch', value, {
    size: { fallback: defaultBatch.size, min: 1, max: 10_000 },
    intervalMs: { fallback: defaultBatch.intervalMs, min: 0, max: 60_000 }
  })
}

function circuitBreakerOption (value: unknown): CircuitBreakerOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return defaultCircuitBreaker
  return integerFieldsOption('circuitBreaker', value, {
    failures: { fallback: defaultCircuitBreaker.failures, min: 1, max: 1_000 },
    cooldownMs: { fallback: defaultCircuitBreaker.cooldownMs, min: 1, max: 3_600_000 }
  })
}

function signingKeysOption (value: unknown): Buffer[] {
  if (value === undefined) return []
  const secrets = Array.isArray(value) ? value : [value]
  if (secrets.length === 0) throw new ConfigError('signingSecret', 'expected a whsec_ secret or a non-empty array of them')
  return secrets.map((secret, i) => signingKey(Array.isArray(value) ? `signingSecret[${i}]` : 'signingSecret', secret))
}

/** The endpoint as stats and failure reports name it: no credentials, no query (it may carry a token). */
export function endpointName (url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}

export const webhookOptionsSpec: OptionsSpec<WebhookOptions> = {
  kind: 'webhook',
  optionNames: ['url', 'headers', 'extraArgs', 'sslVerify', 'flattenPayload', 'batch', 'signingSecret', 'concurrency', 'circuitBreaker', ...networkOptionNames],
  parse (options) {
    if (options.url === undefined) throw new ConfigError('url', 'the URL to POST records to is required')
    return {
      url: urlOption('url', options.url, ['http:', 'https:']),
      headers: headersOption(options.headers),
      extraArgs: extraArgsOption(options.extraArgs),
      sslVerify: booleanOption('sslVerify', options.sslVerify, true),
      flattenPayload: booleanOption('flattenPayload', options.flattenPayload, false),
      batch: batchOption(options.batch),
      signingKeys: signingKeysOption(options.signingSecret),
      concurrency: options.concurrency === undefined ? defaultConcurrency : integerOption('concurrency', options.concurrency, 1, 64),
      circuitBreaker: circuitBreakerOption(options.circuitBreaker),
      ...networkOptions(options)
    }
  },
  describe: (options) => endpointName(options.url),
  defaultDeadLetter: (options) => workingDirectoryDeadLetter('webhook', options.url.hostname)
}

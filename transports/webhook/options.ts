import { ConfigError } from '../../src/errors.js'
import { booleanOption, integerFieldsOption, integerOption, urlOption } from '../../src/config/option-checks.js'
import { headersOption, pairsOption } from '../shared/header-options.js'
import { batchOption, type BatchOptions } from '../shared/batch-option.js'
import { endpointName } from '../shared/http-post.js'
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
  readonly batch: BatchOptions | false
  /** The signing keys, decoded; one signature per key. Empty: unsigned. */
  readonly signingKeys: readonly Buffer[]
  readonly concurrency: number
  readonly circuitBreaker: CircuitBreakerOptions | false
}

export const defaultBatch = { size: 100, intervalMs: 1_000 }
export const defaultConcurrency = 4
export const defaultCircuitBreaker: CircuitBreakerOptions = { failures: 5, cooldownMs: 30_000 }

/** Headers daslog sets itself: a configured one would break the signature. */
const signatureHeaders = ['webhook-id', 'webhook-timestamp', 'webhook-signature']

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

export const webhookOptionsSpec: OptionsSpec<WebhookOptions> = {
  kind: 'webhook',
  optionNames: ['url', 'headers', 'extraArgs', 'sslVerify', 'flattenPayload', 'batch', 'signingSecret', 'concurrency', 'circuitBreaker', ...networkOptionNames],
  parse (options) {
    if (options.url === undefined) throw new ConfigError('url', 'the URL to POST records to is required')
    return {
      url: urlOption('url', options.url, ['http:', 'https:']),
      headers: headersOption(options.headers, signatureHeaders),
      extraArgs: extraArgsOption(options.extraArgs),
      sslVerify: booleanOption('sslVerify', options.sslVerify, true),
      flattenPayload: booleanOption('flattenPayload', options.flattenPayload, false),
      batch: batchOption(options.batch, defaultBatch),
      signingKeys: signingKeysOption(options.signingSecret),
      concurrency: options.concurrency === undefined ? defaultConcurrency : integerOption('concurrency', options.concurrency, 1, 64),
      circuitBreaker: circuitBreakerOption(options.circuitBreaker),
      ...networkOptions(options)
    }
  },
  describe: (options) => endpointName(options.url),
  defaultDeadLetter: (options) => workingDirectoryDeadLetter('webhook', options.url.hostname)
}

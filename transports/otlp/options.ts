import { ConfigError } from '../../src/errors.js'
import { describe, urlOption } from '../../src/config/option-checks.js'
import { workingDirectoryDeadLetter, type OptionsSpec } from '../shared/common-options.js'
import { batchOption, type BatchOptions } from '../shared/batch-option.js'
import { headersOption } from '../shared/header-options.js'
import { endpointName } from '../shared/http-post.js'
import { networkOptionNames, networkOptions, type NetworkOptions } from '../shared/network-options.js'
import type { OtlpProtocol } from './encoding.js'
import { percentDecodedPairs, resourceOption, type ResourceValue } from './resource.js'

export interface OtlpOptions extends NetworkOptions {
  readonly url: URL
  readonly protocol: OtlpProtocol
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  /** The resource attributes, environment and options merged. */
  readonly resource: Readonly<Record<string, ResourceValue>>
  readonly batch: BatchOptions
}

/** OpenTelemetry's batch log processor defaults: 512 records, or what came within a second. */
export const defaultBatch: BatchOptions = { size: 512, intervalMs: 1_000 }
export const defaultUrl = 'http://127.0.0.1:4318/v1/logs'
const protocols: readonly OtlpProtocol[] = ['http/protobuf', 'http/json']

/** The endpoint: the option, else OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (as it is), else OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/logs`, else the local collector. */
function urlGiven (value: unknown, env: NodeJS.ProcessEnv): { option: string, value: unknown } {
  if (value !== undefined) return { option: 'url', value }
  const logs = env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT?.trim()
  if (logs !== undefined && logs !== '') return { option: 'url (from OTEL_EXPORTER_OTLP_LOGS_ENDPOINT)', value: logs }
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  if (base !== undefined && base !== '') return { option: 'url (from OTEL_EXPORTER_OTLP_ENDPOINT)', value: `${base.replace(/\/+$/, '')}/v1/logs` }
  return { option: 'url', value: defaultUrl }
}

function protocolOption (value: unknown, env: NodeJS.ProcessEnv): OtlpProtocol {
  const variable = ['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'].find((name) => (env[name]?.trim() ?? '') !== '')
  const [option, given] = value !== undefined ? ['protocol', value] : variable !== undefined ? [`protocol (from ${variable})`, env[variable]!.trim()] : ['protocol', protocols[0]]
  if (!protocols.includes(given as OtlpProtocol)) {
    const hint = given === 'grpc' ? '; OTLP over gRPC is not supported, a collector takes OTLP/HTTP on port 4318' : ''
    throw new ConfigError(option, `expected 'http/protobuf' or 'http/json', got ${describe(given)}${hint}`)
  }
  return given as OtlpProtocol
}

/** OTEL_EXPORTER_OTLP_HEADERS, then OTEL_EXPORTER_OTLP_LOGS_HEADERS, then the `headers` option, each winning over the one before. */
function headersFrom (value: unknown, env: NodeJS.ProcessEnv): Record<string, string> {
  const fromEnv: Record<string, string> = {}
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']) {
    const text = env[name]?.trim()
    if (text === undefined || text === '') continue
    try {
      Object.assign(fromEnv, headersOption(percentDecodedPairs(name, text)))
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`headers (from ${name})`, `${error.option}: ${error.problem}`, undefined, { cause: error })
      throw error
    }
  }
  return { ...fromEnv, ...headersOption(value) }
}

/**
 * The otlp transport's options. The environment is read where createLogger
 * checks them (the main thread): the worker is given the URL, protocol,
 * headers and resource it resolved, so both sides send the same.
 */
export const otlpOptionsSpec: OptionsSpec<OtlpOptions> = {
  kind: 'otlp',
  optionNames: ['url', 'protocol', 'headers', 'resource', 'batch', ...networkOptionNames],
  prepare (options) {
    const env = process.env
    const url = urlGiven(options.url, env)
    return {
      ...options,
      url: urlOption(url.option, url.value, ['http:', 'https:']).href,
      protocol: protocolOption(options.protocol, env),
      headers: headersFrom(options.headers, env),
      resource: resourceOption(options.resource, env)
    }
  },
  parse (options) {
    const batch = batchOption(options.batch, defaultBatch)
    return {
      url: urlOption('url', options.url, ['http:', 'https:']),
      protocol: protocolOption(options.protocol, {}),
      headers: headersOption(options.headers),
      resource: resourceOption(options.resource, {}),
      batch: batch === false ? { size: 1, intervalMs: 0 } : batch,
      ...networkOptions(options)
    }
  },
  describe: (options) => endpointName(options.url),
  defaultDeadLetter: (options) => workingDirectoryDeadLetter('otlp', options.url.hostname)
}

import { ConfigError } from '../../src/errors.js'
import { describe, isObject } from '../../src/config/option-checks.js'
import { parsePairs } from '../shared/header-options.js'

/** What a resource attribute may hold: OTLP's scalar values, or arrays of them. */
export type ResourceValue = string | number | boolean | ReadonlyArray<string | number | boolean>

/** The resource's `service.name` when neither the options nor the environment name one (OpenTelemetry's default for Node). */
export const unknownService = 'unknown_service:node'

/**
 * `OTEL_RESOURCE_ATTRIBUTES`-style `key=value,key2=value2` with
 * percent-encoded values (the OpenTelemetry environment variables'
 * format), as an object. `option` names the variable in errors.
 */
export function percentDecodedPairs (option: string, text: string): Record<string, string> {
  const pairs = parsePairs(option, text)
  for (const [key, value] of Object.entries(pairs)) {
    try {
      pairs[key] = decodeURIComponent(value)
    } catch {
      throw new ConfigError(option, `the value of ${JSON.stringify(key)} is not valid percent-encoding`)
    }
  }
  return pairs
}

function resourceValue (option: string, value: unknown): ResourceValue {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item !== 'string' && typeof item !== 'boolean' && !(typeof item === 'number' && Number.isFinite(item))) {
        throw new ConfigError(`${option}[${i}]`, `expected a string, number or boolean, got ${describe(item)}`)
      }
    })
    return value as ResourceValue
  }
  throw new ConfigError(option, `expected a string, number, boolean or an array of them, got ${describe(value)}`)
}

/**
 * The resource attributes every record is sent with: `OTEL_RESOURCE_ATTRIBUTES`,
 * then `OTEL_SERVICE_NAME` as `service.name`, then the `resource` option,
 * each winning over the one before; `service.name` defaults to
 * `unknown_service:node`.
 */
export function resourceOption (value: unknown, env: NodeJS.ProcessEnv): Record<string, ResourceValue> {
  if (value !== undefined && !isObject(value)) throw new ConfigError('resource', `expected an object of attributes ({ 'service.name': 'checkout' }), got ${describe(value)}`)
  const fromEnv = env.OTEL_RESOURCE_ATTRIBUTES === undefined || env.OTEL_RESOURCE_ATTRIBUTES.trim() === ''
    ? {}
    : percentDecodedPairs('resource (from OTEL_RESOURCE_ATTRIBUTES)', env.OTEL_RESOURCE_ATTRIBUTES)
  const serviceName = env.OTEL_SERVICE_NAME === undefined || env.OTEL_SERVICE_NAME.trim() === '' ? {} : { 'service.name': env.OTEL_SERVICE_NAME.trim() }
  const resource: Record<string, ResourceValue> = { 'service.name': unknownService, ...fromEnv, ...serviceName }
  for (const [key, attribute] of Object.entries(value ?? {})) {
    if (key === '') throw new ConfigError('resource', 'attribute names must not be empty')
    resource[key] = resourceValue(`resource.${key}`, attribute)
  }
  return resource
}

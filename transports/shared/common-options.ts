import { resolve } from 'node:path'
import { ConfigError, TransportConfigError } from '../../src/errors.js'
import type { EventMatcher } from '../../src/event-pattern.js'
import { eventPatternsOption, isObject, describe, optionObject, positiveIntegerOption, stringOption } from '../../src/config/option-checks.js'
import type { RetryPolicy } from './retry.js'

/** The options every daslog transport accepts, besides its own. */
export const commonOptionNames = ['events', 'deadLetter', 'queueSize', 'closeTimeoutMs', 'name'] as const

export interface CommonOptions {
  /** Which records the transport takes, by event name. */
  readonly events: EventMatcher
  /** True when `events` was not given: every record is taken, unparsed until delivered. */
  readonly everyEvent: boolean
  /** The dead-letter file (NDJSON). */
  readonly deadLetter: string
  /** At most this many records wait in memory; what overflows is dead-lettered. */
  readonly queueSize: number
  /** How long closing may keep delivering before what is left is dead-lettered; under pino's 10 s exit wait. */
  readonly closeTimeoutMs: number
  /** How stats and dead letters name this transport. */
  readonly name: string
}

export const defaultQueueSize = 20_000
export const defaultCloseTimeoutMs = 5_000
const maxCloseTimeoutMs = 9_000
const everyEvent: EventMatcher = () => true

/** What a transport module tells the shared machinery about its options. */
export interface OptionsSpec<O> {
  /** `csv`, `webhook`, ...: the entry is `daslog/transports/<kind>`. */
  readonly kind: string
  /** Its own option names (the common ones are added). */
  readonly optionNames: readonly string[]
  /** Rewrites shorthands before any check (csv's `columns: 'audit'`). */
  prepare? (options: Record<string, unknown>): Record<string, unknown>
  /** Checks its own options, throwing a ConfigError that names the option; returns them resolved. */
  parse (options: Record<string, unknown>): O
  /** Where it delivers, for the default name and dead-letter file: a path, a host. */
  describe (options: O): string
  /** The dead-letter file when none is given. */
  defaultDeadLetter (options: O): string
}

/**
 * Checks a transport's options, common and its own, in the main thread (when
 * createLogger starts the worker) and again in the worker. Every problem is a
 * TransportConfigError naming the transport and the option.
 */
export function parseTransportOptions<O> (spec: OptionsSpec<O>, value: unknown, where: { target?: string, file?: string | undefined } = {}): { common: CommonOptions, own: O } {
  try {
    const given = optionObject('options', withoutAddedKeys(value), [...commonOptionNames, ...spec.optionNames])
    const all = spec.prepare === undefined ? given : spec.prepare(given)
    const own = spec.parse(all)
    const name = all.name === undefined ? `${spec.kind} ${spec.describe(own)}` : stringOption('name', all.name)
    const common: CommonOptions = {
      events: all.events === undefined ? everyEvent : eventPatternsOption('events', all.events),
      everyEvent: all.events === undefined,
      deadLetter: resolve(all.deadLetter === undefined ? spec.defaultDeadLetter(own) : stringOption('deadLetter', all.deadLetter)),
      queueSize: all.queueSize === undefined ? defaultQueueSize : positiveIntegerOption('queueSize', all.queueSize),
      closeTimeoutMs: all.closeTimeoutMs === undefined ? defaultCloseTimeoutMs : boundedInteger('closeTimeoutMs', all.closeTimeoutMs, 0, maxCloseTimeoutMs),
      name
    }
    return { common, own }
  } catch (error) {
    if (!(error instanceof ConfigError) || error instanceof TransportConfigError) throw error
    const option = error.option.startsWith('options.') ? error.option.slice('options.'.length) : error.option
    throw new TransportConfigError(spec.kind, option, error.problem, where)
  }
}

/** pino and thread-stream add `pinoWillSendConfig` and `$context` to a single target's options. */
function withoutAddedKeys (value: unknown): unknown {
  if (value === undefined) return {}
  if (!isObject(value) || (!('$context' in value) && !('pinoWillSendConfig' in value))) return value
  const { $context: _context, pinoWillSendConfig: _config, ...options } = value
  return options
}

export function boundedInteger (option: string, value: unknown, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw new ConfigError(option, `expected an integer from ${min} to ${max}, got ${describe(value)}`)
  }
  return value as number
}

/** `retry: { attempts, minDelayMs, maxDelayMs }` of the network transports, each key optional. */
export function retryOption (value: unknown, defaults: RetryPolicy): RetryPolicy {
  if (value !== undefined && !isObject(value)) throw new ConfigError('retry', `expected { attempts, minDelayMs, maxDelayMs }, got ${describe(value)}`)
  const retry = optionObject('retry', value, ['attempts', 'minDelayMs', 'maxDelayMs'])
  const policy = {
    attempts: retry.attempts === undefined ? defaults.attempts : boundedInteger('retry.attempts', retry.attempts, 1, 100),
    minDelayMs: retry.minDelayMs === undefined ? defaults.minDelayMs : boundedInteger('retry.minDelayMs', retry.minDelayMs, 0, 3_600_000),
    maxDelayMs: retry.maxDelayMs === undefined ? defaults.maxDelayMs : boundedInteger('retry.maxDelayMs', retry.maxDelayMs, 0, 3_600_000)
  }
  if (policy.maxDelayMs < policy.minDelayMs) throw new ConfigError('retry.maxDelayMs', `must be at least retry.minDelayMs (${policy.minDelayMs})`)
  return policy
}

import { join, resolve } from 'node:path'
import { ConfigError, TransportConfigError } from '../../src/errors.js'
import type { EventMatcher } from '../../src/event-pattern.js'
import { eventPatternsOption, integerOption, isObject, optionObject, positiveIntegerOption, stringOption } from '../../src/config/option-checks.js'
import { catalog as defaultCatalog } from '../../src/catalog/default-catalog.gen.js'
import type { Catalog } from '../../src/catalog/types.js'

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
  /** Rewrites shorthands before any check, against the logger's catalog (csv's `columns: 'audit'`). */
  prepare? (options: Record<string, unknown>, catalog: Catalog): Record<string, unknown>
  /** Checks its own options, throwing a ConfigError that names the option; returns them resolved. */
  parse (options: Record<string, unknown>): O
  /** Where it delivers, for the default name and dead-letter file: a path, a host. */
  describe (options: O): string
  /** The dead-letter file when none is given. */
  defaultDeadLetter (options: O): string
}

/**
 * Checks a transport's options, common and its own, in the main thread (when
 * createLogger starts the worker, with the logger's catalog) and again in the
 * worker (with the default catalog, which the prepared options no longer
 * need). Every problem is a TransportConfigError naming the transport and the
 * option. `prepared` is the options with their shorthands resolved: what the
 * worker is given.
 */
export function parseTransportOptions<O> (
  spec: OptionsSpec<O>,
  value: unknown,
  where: { target?: string, file?: string | undefined } = {},
  catalog: Catalog = defaultCatalog
): { common: CommonOptions, own: O, prepared: Record<string, unknown> } {
  try {
    const given = optionObject('options', withoutAddedKeys(value), [...commonOptionNames, ...spec.optionNames])
    const all = spec.prepare === undefined ? given : spec.prepare(given, catalog)
    const own = spec.parse(all)
    const name = all.name === undefined ? `${spec.kind} ${spec.describe(own)}` : stringOption('name', all.name)
    const common: CommonOptions = {
      events: all.events === undefined ? everyEvent : eventPatternsOption('events', all.events),
      everyEvent: all.events === undefined,
      deadLetter: resolve(all.deadLetter === undefined ? spec.defaultDeadLetter(own) : stringOption('deadLetter', all.deadLetter)),
      queueSize: all.queueSize === undefined ? defaultQueueSize : positiveIntegerOption('queueSize', all.queueSize),
      closeTimeoutMs: all.closeTimeoutMs === undefined ? defaultCloseTimeoutMs : integerOption('closeTimeoutMs', all.closeTimeoutMs, 0, maxCloseTimeoutMs),
      name
    }
    return { common, own, prepared: all }
  } catch (error) {
    if (!(error instanceof ConfigError) || error instanceof TransportConfigError) throw error
    const option = error.option.startsWith('options.') ? error.option.slice('options.'.length) : error.option
    throw new TransportConfigError(spec.kind, option, error.problem, where)
  }
}

/** The default dead-letter file of a network transport: `<kind>-<where>.dead-letter.ndjson` in the working directory. */
export function workingDirectoryDeadLetter (kind: string, where: string): string {
  return join(process.cwd(), `${kind}-${where.replace(/[^A-Za-z0-9.-]/g, '_')}.dead-letter.ndjson`)
}

/** pino and thread-stream add `pinoWillSendConfig` and `$context` to a single target's options. */
function withoutAddedKeys (value: unknown): unknown {
  if (value === undefined) return {}
  if (!isObject(value) || (!('$context' in value) && !('pinoWillSendConfig' in value))) return value
  const { $context: _context, pinoWillSendConfig: _config, ...options } = value
  return options
}

import { ConfigError } from '../errors.js'
import { compileEventPatterns } from '../event-pattern.js'
import { isLevelName, levelValues, type LevelName } from '../levels.js'
import { describe, eventPatternOption, isObject, optionObject, rateOption, stringOption } from '../config/option-checks.js'
import { currentContext } from '../logger/context.js'
import { cachedByEvent } from './bounded-cache.js'
import { RateLimiter, type RateLimitOptions } from './rate-limit.js'
import type { EventRecord, Processor, RecordMeta } from './types.js'

export interface SamplingOptions {
  /** The share of records kept, 0 to 1, for events no `events` pattern names. Default 1. */
  readonly rate?: number
  /** Rates per event pattern (`{ cache_lookup_hit: 0.01, 'debug_*': 0.1 }`); exact names win over globs, then globs in order. */
  readonly events?: Readonly<Record<string, number>>
  /** Records at this level or above are never sampled out. Default `warn`. */
  readonly keepAtOrAbove?: LevelName
  /** A field (of the record, the implicit context, or the bound context) whose value decides: the same value is always kept or always dropped, in every process. */
  readonly by?: string
  /** A token bucket per event; what it holds back is reported in an `events_suppressed` record. */
  readonly rateLimit?: RateLimitOptions
}

const optionNames = ['rate', 'events', 'keepAtOrAbove', 'by', 'rateLimit'] as const

/**
 * Keeps a share of records: `rate` overall, `events` per pattern, never below
 * `keepAtOrAbove`. With `by`, the decision hashes that field's value, so one
 * correlation id is kept or dropped as a whole across services. A kept record
 * sampled at a rate below 1 carries `sample_rate`.
 */
export function sampling (options: SamplingOptions = {}): Processor {
  const given = optionObject('sampling', options, optionNames)
  const defaultRate = given.rate === undefined ? 1 : rateOption('sampling.rate', given.rate)
  const rateOf = cachedByEvent(eventRates(given.events, defaultRate))
  const keepAt = keepLevel(given.keepAtOrAbove)
  const by = given.by === undefined ? undefined : stringOption('sampling.by', given.by)
  const limiter = given.rateLimit === undefined ? undefined : new RateLimiter(given.rateLimit)

  /** The rate the record is kept at, or 0 to drop it. `byValue` is the `by` field's value, if any. */
  let dropReason: 'sampled' | 'rate_limited' = 'sampled'
  function decide (event: string, levelValue: number, byValue: unknown): number {
    let kept = 1
    if (levelValue < keepAt) {
      const rate = rateOf(event)
      if (rate === 0) return sampledOut()
      if (rate < 1) {
        const draw = byValue === undefined || byValue === null ? Math.random() : hashToUnit(String(byValue))
        if (draw >= rate) return sampledOut()
        kept = rate
      }
    }
    if (limiter !== undefined && !limiter.take(event, levelValue)) {
      dropReason = 'rate_limited'
      return 0
    }
    return kept
  }
  function sampledOut (): 0 {
    dropReason = 'sampled'
    return 0
  }

  const byValueIn = by === undefined
    ? () => undefined
    : (fields: unknown, meta: RecordMeta): unknown => {
        const own = typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>)[by] : undefined
        return own ?? currentContext()?.[by] ?? meta.bindings[by]
      }

  const processor = function sample (record: EventRecord, meta: RecordMeta): EventRecord | null {
    const kept = decide(record.event, meta.levelValue, byValueIn(record, meta))
    if (kept === 0) return null
    if (kept < 1) record.sample_rate = kept
    return record
  }
  const hooks = {
    admit: (event: string, fields: unknown, meta: RecordMeta) => decide(event, meta.levelValue, byValueIn(fields, meta)),
    ...(limiter === undefined
      ? {}
      : { start: limiter.start.bind(limiter), flush: limiter.flush.bind(limiter), close: limiter.close.bind(limiter) })
  }
  Object.defineProperty(processor, 'dropReason', { get: () => dropReason, enumerable: true })
  return Object.assign(processor, hooks)
}

/** Per-event rate lookup: exact names first, then globs in the order given, then the default. */
function eventRates (events: unknown, defaultRate: number): (event: string) => number {
  if (events === undefined) return () => defaultRate
  if (!isObject(events)) throw new ConfigError('sampling.events', `expected an object of event pattern to rate, got ${describe(events)}`)
  const exact = new Map<string, number>()
  const globs: Array<{ matches: (event: string) => boolean, rate: number }> = []
  for (const [pattern, rate] of Object.entries(events)) {
    eventPatternOption(`sampling.events["${pattern}"]`, pattern)
    const value = rateOption(`sampling.events["${pattern}"]`, rate)
    if (pattern.includes('*')) globs.push({ matches: compileEventPatterns([pattern]), rate: value })
    else exact.set(pattern, value)
  }
  return (event) => exact.get(event) ?? globs.find((glob) => glob.matches(event))?.rate ?? defaultRate
}

function keepLevel (level: unknown): number {
  if (level === undefined) return levelValues.warn
  if (!isLevelName(level)) throw new ConfigError('sampling.keepAtOrAbove', `expected a level name (trace … fatal), got ${describe(level)}`)
  return levelValues[level]
}

/**
 * FNV-1a (32 bit) of the value with murmur3's final mix, as a number in
 * [0, 1). The same in every process and version, so services sampling by
 * correlation id agree, and an id kept at rate r is kept at every rate above r.
 */
export function hashToUnit (value: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return (hash >>> 0) / 4294967296
}

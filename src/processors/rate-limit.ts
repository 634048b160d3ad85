import { ConfigError } from '../errors.js'
import type { EventMatcher } from '../event-pattern.js'
import { levelNameOf } from '../levels.js'
import { eventPatternsOption, optionObject, positiveIntegerOption } from '../config/option-checks.js'
import { cachedByEvent } from './bounded-cache.js'
import type { EmitRecord } from './types.js'

export interface RateLimitOptions {
  /** Records of one event let through per interval (the bucket's size). */
  readonly perEvent: number
  /** The interval in which the bucket refills completely. */
  readonly intervalMs: number
  /** Patterns of the events limited; default all. */
  readonly events?: string | readonly string[]
}

/** The record that reports what a rate limit held back, once per event and interval. */
export const suppressedEvent = 'events_suppressed'

interface Bucket {
  tokens: number
  refilledAt: number
  suppressed: number
  maxLevelValue: number
}

/**
 * A token bucket per event name: `perEvent` tokens refilled evenly over
 * `intervalMs`. A record finding the bucket empty is suppressed and counted;
 * `intervalMs` after the first suppression (or on flush) one
 * `events_suppressed` record per event names the event and the count.
 */
export class RateLimiter {
  private readonly perEvent: number
  private readonly intervalMs: number
  private readonly limits: (event: string) => boolean
  private readonly buckets = new Map<string, Bucket>()
  private readonly maxBuckets = 4096
  private emit: EmitRecord | undefined
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor (options: unknown, option = 'sampling.rateLimit') {
    const given = optionObject(option, options, ['perEvent', 'intervalMs', 'events'])
    if (given.perEvent === undefined) throw new ConfigError(`${option}.perEvent`, 'required: how many records of one event pass per interval')
    if (given.intervalMs === undefined) throw new ConfigError(`${option}.intervalMs`, 'required: the interval in milliseconds')
    this.perEvent = positiveIntegerOption(`${option}.perEvent`, given.perEvent)
    this.intervalMs = positiveIntegerOption(`${option}.intervalMs`, given.intervalMs)
    const limited: EventMatcher = given.events === undefined ? () => true : eventPatternsOption(`${option}.events`, given.events)
    this.limits = cachedByEvent(limited)
  }

  start (emit: EmitRecord): void {
    if (this.emit !== undefined) throw new ConfigError('processors', 'a sampling() processor with a rateLimit belongs to one logger; create one per logger')
    this.emit = emit
  }

  /** True when the record may pass; false when it is suppressed (and counted). */
  take (event: string, levelValue: number): boolean {
    if (!this.limits(event)) return true
    const now = performance.now()
    let bucket = this.buckets.get(event)
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxBuckets) this.dropFullBuckets(now)
      bucket = { tokens: this.perEvent, refilledAt: now, suppressed: 0, maxLevelValue: 0 }
      this.buckets.set(event, bucket)
    } else {
      bucket.tokens = Math.min(this.perEvent, bucket.tokens + (now - bucket.refilledAt) * this.perEvent / this.intervalMs)
      bucket.refilledAt = now
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return true
    }
    bucket.suppressed++
    if (levelValue > bucket.maxLevelValue) bucket.maxLevelValue = levelValue
    if (this.timer === undefined && !this.closed) {
      this.timer = setTimeout(() => { this.flush() }, this.intervalMs)
      this.timer.unref()
    }
    return false
  }

  /** Emits one summary per event that had records suppressed since the last one. */
  flush (): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    for (const [event, bucket] of this.buckets) {
      if (bucket.suppressed === 0) continue
      const count = bucket.suppressed
      const level = levelNameOf(bucket.maxLevelValue)
      bucket.suppressed = 0
      bucket.maxLevelValue = 0
      this.emit?.({ event: suppressedEvent, suppressed_event: event, suppressed_count: count, interval_ms: this.intervalMs }, level)
    }
  }

  close (): void {
    this.closed = true
    this.flush()
  }

  /** Forgets buckets that are full again and owe no summary, so many distinct names cannot grow the table. */
  private dropFullBuckets (now: number): void {
    for (const [event, bucket] of this.buckets) {
      const tokens = bucket.tokens + (now - bucket.refilledAt) * this.perEvent / this.intervalMs
      if (bucket.suppressed === 0 && tokens >= this.perEvent) this.buckets.delete(event)
    }
  }
}

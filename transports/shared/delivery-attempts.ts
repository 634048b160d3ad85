import type { CommonOptions } from './common-options.js'
import { DeadLetterFile } from './dead-letter.js'
import type { Channel, DeliveryFailure, TransportStats } from './protocol.js'
import { entryJson, type Entry } from './queued-lines.js'
import { backoffDelay, describeFailure, DeliveryError } from './retry.js'
import type { DeliveryNote, Destination, LogRecord } from './transport-types.js'

let instances = 0

/** A batch being delivered: the records of it not delivered yet, the tries made and how the last one failed. */
export interface Flight {
  records: readonly LogRecord[]
  tries: number
  lastError?: string
  /** Set for a throttle digest (its key): delivered with `deliverDigest`. */
  readonly digestKey?: string | undefined
}

function isPromise<T> (value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function'
}

/**
 * A transport's deliveries, one job of its runtime (the queue and pump,
 * and the close protocol, build on it): each batch in flight is tried,
 * retried with backoff (or after the destination's Retry-After) until the
 * retry policy or the close deadline gives up, then dead-lettered; the
 * counters and failures are reported to the application thread in sums.
 */
export abstract class DeliveryAttempts {
  readonly id: string
  protected readonly deadLetter: DeadLetterFile
  protected readonly counts = { accepted: 0, delivered: 0, retried: 0, deadLettered: 0, dropped: 0, segments: 0 }
  /** Batches being delivered (or waiting to retry): what of each is not delivered yet. */
  protected readonly flights = new Set<Flight>()
  protected closeDeadline = Infinity
  /** Set when closing gave up on what was held: whatever a delivery says later is not counted again. */
  protected abandoned = false
  protected readonly retryWakers = new Set<() => void>()
  protected statsTimer: NodeJS.Timeout | undefined
  private failures: Array<{ -readonly [K in keyof DeliveryFailure]: DeliveryFailure[K] }> = []

  constructor (
    protected readonly kind: string,
    protected readonly common: CommonOptions,
    protected readonly destination: Destination,
    protected readonly channel: Channel
  ) {
    this.id = `${kind}#${++instances}`
    this.deadLetter = new DeadLetterFile(common.deadLetter, { transport: kind, name: common.name }, {
      onWritten: (count) => { this.counts.deadLettered += count; this.changed() },
      onLost: (count, error) => {
        this.counts.dropped += count
        this.reportFailure('dropped', count, `the dead-letter file failed (${describeFailure(error)})`, 0)
      }
    })
  }

  abstract stats (): TransportStats

  /**
   * Try `attempt` of a batch in flight: undefined when it was settled
   * synchronously (delivered or dead-lettered), else a promise that settles
   * when it is. On failure the batch is retried with backoff until the policy
   * or the close deadline gives up, then dead-lettered.
   */
  protected deliver (flight: Flight, attempt: number): Promise<void> | undefined {
    let result: ReturnType<Destination['deliver']>
    try {
      result = flight.digestKey === undefined ? this.destination.deliver(flight.records) : this.destination.deliverDigest!({ key: flight.digestKey, records: flight.records })
    } catch (error) {
      return this.failed(flight, attempt, error)
    }
    if (!isPromise(result)) {
      this.succeeded(flight, attempt, result)
      return undefined
    }
    return result.then(
      (note) => { if (!this.abandoned) this.succeeded(flight, attempt, note) },
      async (error: unknown) => { if (!this.abandoned) await this.failed(flight, attempt, error) }
    )
  }

  protected succeeded (flight: Flight, attempt: number, note: DeliveryNote | undefined | void): void {
    this.counts.delivered += flight.records.length
    if (note === undefined) return
    if (note.segments !== undefined) this.counts.segments += note.segments
    if (note.problem !== undefined) this.reportFailure('partially delivered', flight.records.length, note.problem, attempt)
  }

  protected failed (flight: Flight, attempt: number, error: unknown): Promise<void> | undefined {
    if (error instanceof DeliveryError && error.delivered > 0) {
      this.counts.delivered += error.delivered
      flight.records = flight.records.slice(error.delivered)
    }
    // A try that never reached the destination (its circuit is open) costs no attempt.
    const tried = !(error instanceof DeliveryError) || error.attempted
    const retryable = !(error instanceof DeliveryError) || error.retryable
    flight.tries = tried ? attempt : attempt - 1
    flight.lastError = describeFailure(error)
    if (!retryable || (tried && attempt >= this.destination.retry.attempts)) {
      this.dead(flight.records, flight.lastError, flight.tries)
      return undefined
    }
    const delay = error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : backoffDelay(this.destination.retry, attempt)
    return this.waitToRetry(delay).then((inTime) => {
      if (this.abandoned) return undefined
      if (!inTime) {
        this.dead(flight.records, `${flight.lastError}; no time left to retry before close`, flight.tries)
        return undefined
      }
      if (tried) this.counts.retried += flight.records.length
      return this.deliver(flight, flight.tries + 1)
    })
  }

  /** Waits `delay` ms; false (at once, or as soon as close starts) when the retry would come after the close deadline. */
  protected async waitToRetry (delay: number): Promise<boolean> {
    const until = Date.now() + delay
    if (until > this.closeDeadline) return false
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delay)
      const wakers = this.retryWakers
      wakers.add(done)
      function done (): void {
        clearTimeout(timer)
        wakers.delete(done)
        resolve()
      }
    })
    return until <= this.closeDeadline
  }

  protected dead (records: readonly Entry[], error: string, attempts: number): void {
    for (const record of records) this.deadLetter.add(entryJson(record), error, attempts)
    this.reportFailure('dead-lettered', records.length, error, attempts)
  }

  /** Failures are reported in sums, per outcome, error and attempt count, with the counters. */
  protected reportFailure (outcome: DeliveryFailure['outcome'], count: number, error: string, attempts: number): void {
    const last = this.failures.at(-1)
    if (last !== undefined && last.error === error && last.outcome === outcome && last.attempts === attempts) {
      last.count += count
    } else {
      const { kind: transport, common: { name, deadLetter } } = this
      this.failures.push({ transport, name, outcome, count, error, attempts, deadLetter })
    }
    this.changed()
  }

  /** Posts the counters at most every 250 ms while they change. */
  protected changed (): void {
    if (this.statsTimer !== undefined) return
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined
      this.report()
    }, 250)
    this.statsTimer.unref()
  }

  protected report (): void {
    for (const failure of this.failures) this.channel.post({ type: 'failure', id: this.id, failure })
    this.failures = []
    this.channel.post({ type: 'stats', id: this.id, stats: this.stats() })
  }
}

import { BoundedQueue } from './bounded-queue.js'
import type { CommonOptions } from './common-options.js'
import { DeliveryAttempts, type Flight } from './delivery-attempts.js'
import { newEventId } from './event-id.js'
import type { Channel } from './protocol.js'
import { detached, parseLine, type Entry } from './queued-lines.js'
import { describeFailure } from './retry.js'
import { Throttle, throttleKey, type Digest } from './throttle.js'
import type { Destination, LogRecord } from './transport-types.js'

/**
 * A transport's queue and pump, one job of its runtime: lines its `events`
 * accept wait in a bounded queue (what overflows is dead-lettered) and go
 * out in batches, as many at once as the destination's `concurrency`,
 * through the throttle when there is one.
 */
export abstract class QueuePump extends DeliveryAttempts {
  protected readonly queue: BoundedQueue<Entry>
  private readonly concurrency: number
  private readonly batchIntervalMs: number
  private readonly givesEventIds: boolean
  /** A synchronous delivery is running (inline destinations deliver from `accept`). */
  private delivering = false
  private pumpScheduled = false
  /** Set when a batch that is not full may go: its interval passed, or a drain or close wants everything out. */
  private partialBatchDue = false
  protected batchTimer: NodeJS.Timeout | undefined
  /** Closing finished: a line that still comes is dead-lettered at once. */
  protected closed = false
  protected closing: Promise<void> | undefined
  private readonly idleWaiters: Array<() => void> = []
  protected readonly throttle: Throttle | undefined
  /** Digests whose window ended, waiting for a free slot. */
  protected readonly digests: Digest[] = []

  constructor (kind: string, common: CommonOptions, destination: Destination, channel: Channel) {
    super(kind, common, destination, channel)
    this.concurrency = destination.concurrency ?? 1
    this.batchIntervalMs = destination.batchIntervalMs ?? 0
    this.givesEventIds = destination.eventIds !== false
    const throttle = destination.throttle
    this.throttle = throttle === undefined ? undefined : new Throttle(throttle.windowMs, throttleKey(throttle), (digest) => { this.digestDue(digest) })
    this.queue = new BoundedQueue(common.queueSize)
  }

  accept (line: string): void {
    let entry: Entry
    if (this.common.everyEvent) {
      // A line is a slice of the chunk it came in. One that goes out within this turn or the next (an inline
      // destination with no backlog and nothing in flight) may keep its chunk alive that long; any other is
      // copied, so a queue that frees slots slowly keeps its lines, not the chunks they came in.
      entry = this.deliversInlineNow() && this.queue.size < this.destination.batchSize ? line : detached(line)
    } else {
      const record = parseLine(line)
      if (record === undefined) {
        this.counts.accepted++
        this.dead([line], 'not a JSON record', 0)
        return
      }
      const event = record.event
      if (!this.common.events(typeof event === 'string' ? event : '')) return
      entry = record
    }
    this.counts.accepted++
    if (this.closed || (this.closing !== undefined && this.closeDeadline <= Date.now())) {
      this.dead([entry], 'the transport was closed', 0)
    } else if (!this.queue.push(entry)) {
      this.dead([entry], `the queue is full (queueSize ${this.common.queueSize})`, 0)
    } else if (this.deliversInlineNow() && this.queue.size >= this.destination.batchSize) {
      this.deliverFullBatches()
    } else {
      this.schedulePump()
    }
    this.changed()
  }

  /** An inline destination with nothing delivering or in flight: a full batch goes out from `accept` itself. */
  private deliversInlineNow (): boolean {
    return this.destination.inline === true && !this.delivering && this.flights.size === 0
  }

  protected schedulePump (): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    // One turn later, so the records that arrived together go out together.
    setImmediate(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  /**
   * Starts deliveries while there are free slots (`concurrency`): batches
   * that are full, or not full once their interval passed. A batch delivered
   * synchronously ends the turn, so pino's worker keeps reading lines while
   * a backlog is delivered; the next one is scheduled.
   */
  protected pump (): void {
    if (this.delivering) return
    for (let digest = this.digests.shift(); digest !== undefined; digest = this.flights.size < this.concurrency ? this.digests.shift() : undefined) {
      this.startFlight({ records: digest.records, tries: 0, digestKey: digest.key })
    }
    while (this.flights.size < this.concurrency && this.queue.size > 0) {
      if (this.queue.size < this.destination.batchSize && !this.partialBatchDue && this.batchIntervalMs > 0) {
        this.waitForBatch()
        break
      }
      if (this.startBatch() === 'settled') {
        if (this.queue.size > 0) this.schedulePump()
        break
      }
    }
    if (this.queue.size === 0) this.partialBatchDue = false
    // Draining or closing: once every queued record went through the throttle, nothing waits for a window to end.
    if (this.queue.size === 0 && (this.closing !== undefined || this.idleWaiters.length > 0)) this.throttle?.flush()
    this.changed()
    this.notifyIfIdle()
  }

  /** A batch that is not full waits `batchIntervalMs` for more records. */
  protected waitForBatch (): void {
    if (this.batchTimer !== undefined) return
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined
      this.partialBatchDue = true
      this.pump()
    }, this.batchIntervalMs)
  }

  /** Delivers full batches of an inline destination now; a batch that needs a retry continues asynchronously. */
  protected deliverFullBatches (): void {
    this.delivering = true
    let outcome: 'settled' | 'pending' = 'settled'
    while (outcome === 'settled' && this.queue.size >= this.destination.batchSize) outcome = this.startBatch()
    this.delivering = false
    if (outcome === 'settled') this.schedulePump()
  }

  /** Takes one batch off the queue and delivers it: 'settled' when that happened synchronously, else it is in flight until its promise settles. */
  protected startBatch (): 'settled' | 'pending' {
    const flight: Flight = { records: this.records(this.queue.take(this.destination.batchSize)), tries: 0 }
    if (flight.records.length === 0) return 'settled'
    return this.startFlight(flight)
  }

  protected startFlight (flight: Flight): 'settled' | 'pending' {
    this.flights.add(flight)
    const pending = this.deliver(flight, 1)
    if (pending === undefined) {
      this.flights.delete(flight)
      return 'settled'
    }
    pending.then(() => { this.landed(flight) }, (error: unknown) => { this.landingFailed(flight, error) })
    return 'pending'
  }

  /** The records of queued entries; a line that is not JSON is dead-lettered here. */
  protected records (entries: readonly Entry[]): LogRecord[] {
    const records: LogRecord[] = []
    for (const entry of entries) {
      const record = typeof entry === 'string' ? this.destination.readLine?.(entry) ?? parseLine(entry) : entry
      if (record === undefined) {
        this.dead([entry], 'not a JSON record', 0)
        continue
      }
      // Its event id, unless the worker or the application gave it one (a dead letter gets one in entryJson).
      if (this.givesEventIds && record.event_id === undefined) record.event_id = newEventId()
      records.push(record)
    }
    return this.throttle === undefined ? records : this.admitted(records)
  }

  /** The records the throttle lets through now; the others wait for their window's digest (counted against `queueSize`). */
  protected admitted (records: LogRecord[]): LogRecord[] {
    const throttle = this.throttle!
    return records.filter((record) => {
      if (throttle.held >= this.common.queueSize) {
        this.dead([record], `too many alerts held for digests (queueSize ${this.common.queueSize})`, 0)
        return false
      }
      return throttle.admit(record)
    })
  }

  protected digestDue (digest: Digest): void {
    this.digests.push(digest)
    this.schedulePump()
  }

  protected landed (flight: Flight): void {
    this.flights.delete(flight)
    this.schedulePump()
    this.changed()
    this.notifyIfIdle()
  }

  /** Only a bug in daslog gets here: the rest of the batch is dead-lettered, never lost. */
  protected landingFailed (flight: Flight, error: unknown): void {
    if (!this.abandoned) this.dead(flight.records, `daslog failed delivering: ${describeFailure(error)}`, 0)
    this.landed(flight)
  }

  protected notifyIfIdle (): void {
    if (!this.isIdle()) return
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  protected isIdle (): boolean {
    return this.queue.size === 0 && this.flights.size === 0 && !this.delivering && this.digests.length === 0 && (this.throttle?.held ?? 0) === 0
  }

  /** Resolves once nothing is queued or in flight; a batch that is not full goes out at once. */
  protected idle (): Promise<void> {
    // Throttle windows end once the queue went through the throttle (pump), not before: the queued repeats belong in their digests.
    if (this.isIdle()) return Promise.resolve()
    this.partialBatchDue = true
    this.schedulePump()
    return new Promise((resolve) => { this.idleWaiters.push(resolve) })
  }
}

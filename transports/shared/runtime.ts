import build from 'pino-abstract-transport'
import type { Transform } from 'node:stream'
import { parseTransportOptions, type CommonOptions, type OptionsSpec } from './common-options.js'
import { BoundedQueue } from './bounded-queue.js'
import { DeadLetterFile } from './dead-letter.js'
import { backoffDelay, describeFailure, DeliveryError, type RetryPolicy } from './retry.js'
import { currentChannel, type Channel, type TransportStats } from './protocol.js'

/** A record as the transport receives it: one parsed pino line. */
export type LogRecord = Record<string, unknown>

/** Where a transport delivers: one instance per transport, opened once its options are checked. */
export interface Destination {
  /** Records handed to `deliver` at once, at most. */
  readonly batchSize: number
  /** How failed deliveries are retried before the records are dead-lettered. */
  readonly retry: RetryPolicy
  /**
   * Delivers records, all or none: throws (a DeliveryError says whether a
   * retry can help) and the whole batch is retried or dead-lettered.
   */
  deliver (records: readonly LogRecord[]): Promise<void> | void
  /** Releases what it holds, once everything is delivered or dead-lettered. */
  close? (): Promise<void> | void
}

export interface TransportSpec<O> extends OptionsSpec<O> {
  open (options: O, common: CommonOptions): Promise<Destination> | Destination
}

/** What the returned stream also offers in-process (tests, `daslog replay`): counters and a drain. */
export interface TransportControl {
  stats (): TransportStats
  /** Resolves once nothing is queued or being delivered. */
  drained (): Promise<void>
}

export const transportControl = Symbol.for('daslog.transport')

export type DaslogTransportStream = Transform & { [transportControl]: TransportControl }

let instances = 0

/**
 * Builds a daslog transport: a pino-abstract-transport stream that reads
 * records as fast as they come (pino's worker never waits on a slow
 * destination, so the application thread never buffers for it), keeps the
 * ones its `events` accept in a bounded queue, delivers them in batches with
 * retries, and dead-letters what fails or overflows, counting everything.
 */
export async function createTransport<O> (spec: TransportSpec<O>, rawOptions: unknown, channel: Channel = currentChannel()): Promise<DaslogTransportStream> {
  const { common, own } = parseTransportOptions(spec, rawOptions)
  const destination = await spec.open(own, common)
  const runtime = new TransportRuntime(spec.kind, common, destination, channel)
  const stream = build((source) => {
    source.on('data', (record: LogRecord) => { runtime.accept(record) })
    source.on('unknown', (line: string, error: unknown) => { runtime.refuseLine(line, error) })
  }, {
    close: async () => { await runtime.close() }
  }) as DaslogTransportStream
  Object.defineProperty(stream, transportControl, { value: runtime.control })
  return stream
}

class TransportRuntime {
  readonly id: string
  private readonly queue: BoundedQueue<LogRecord>
  private readonly deadLetter: DeadLetterFile
  private readonly counts = { accepted: 0, delivered: 0, retried: 0, deadLettered: 0, dropped: 0, inFlight: 0 }
  private pumping = false
  private pumpScheduled = false
  private closeDeadline = Infinity
  private closing: Promise<void> | undefined
  private idleWaiters: Array<() => void> = []
  private wakeRetry: (() => void) | undefined
  private statsTimer: NodeJS.Timeout | undefined
  private readonly stopDrainRequests: () => void
  readonly control: TransportControl

  constructor (
    private readonly kind: string,
    private readonly common: CommonOptions,
    private readonly destination: Destination,
    private readonly channel: Channel
  ) {
    this.id = `${kind}#${++instances}`
    this.queue = new BoundedQueue(common.queueSize)
    this.deadLetter = new DeadLetterFile(common.deadLetter, { transport: kind, name: common.name }, {
      onWritten: (count) => { this.counts.deadLettered += count; this.changed() },
      onLost: (count, error) => {
        this.counts.dropped += count
        this.reportFailure('dropped', count, `the dead-letter file failed (${describeFailure(error)})`, 0)
      }
    })
    this.control = { stats: () => this.stats(), drained: () => this.idle() }
    this.stopDrainRequests = channel.onDrainRequest((request) => {
      void this.idle().then(() => { this.channel.post({ type: 'drained', id: this.id, request, stats: this.stats() }) })
    })
    channel.post({ type: 'started', id: this.id, stats: this.stats() })
  }

  stats (): TransportStats {
    const { accepted, delivered, retried, deadLettered, dropped, inFlight } = this.counts
    return { transport: this.kind, name: this.common.name, accepted, delivered, retried, deadLettered, dropped, queued: this.queue.size + inFlight }
  }

  accept (record: LogRecord): void {
    const event = record.event
    if (!this.common.events(typeof event === 'string' ? event : '')) return
    this.counts.accepted++
    if (this.closing !== undefined && this.closeDeadline <= Date.now()) {
      this.dead([record], 'the transport was closed', 0)
    } else if (!this.queue.push(record)) {
      this.dead([record], `the queue is full (queueSize ${this.common.queueSize})`, 0)
    } else {
      this.schedulePump()
    }
    this.changed()
  }

  /** A line that is not a JSON record (another writer on the same stream): kept in the dead-letter file. */
  refuseLine (line: string, error: unknown): void {
    this.counts.accepted++
    this.dead([JSON.stringify(line)], `not a JSON record (${describeFailure(error)})`, 0, true)
  }

  private schedulePump (): void {
    if (this.pumping || this.pumpScheduled) return
    this.pumpScheduled = true
    // One turn later, so the records that arrived together go out together.
    setImmediate(() => {
      this.pumpScheduled = false
      void this.pump()
    })
  }

  private async pump (): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      while (this.queue.size > 0) {
        const batch = this.queue.take(this.destination.batchSize)
        this.counts.inFlight = batch.length
        await this.deliver(batch)
        this.counts.inFlight = 0
        this.changed()
      }
    } finally {
      this.pumping = false
      this.counts.inFlight = 0
      if (this.queue.size === 0) {
        for (const resolve of this.idleWaiters.splice(0)) resolve()
      }
    }
  }

  /** One batch: delivered, or retried with backoff until the policy or the close deadline gives up, then dead-lettered. */
  private async deliver (records: readonly LogRecord[]): Promise<void> {
    const { retry } = this.destination
    let batch = records
    for (let attempt = 1; ; attempt++) {
      try {
        await this.destination.deliver(batch)
        this.counts.delivered += batch.length
        return
      } catch (error) {
        if (error instanceof DeliveryError && error.delivered > 0) {
          this.counts.delivered += error.delivered
          batch = batch.slice(error.delivered)
          this.counts.inFlight = batch.length
        }
        const retryable = !(error instanceof DeliveryError) || error.retryable
        if (!retryable || attempt >= retry.attempts) {
          this.dead(batch, describeFailure(error), attempt)
          return
        }
        const delay = error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : backoffDelay(retry, attempt)
        if (!await this.waitToRetry(delay)) {
          this.dead(batch, `${describeFailure(error)}; no time left to retry before close`, attempt)
          return
        }
        this.counts.retried += batch.length
      }
    }
  }

  /** Waits `delay` ms; false (at once, or as soon as close starts) when the retry would come after the close deadline. */
  private async waitToRetry (delay: number): Promise<boolean> {
    const until = Date.now() + delay
    if (until > this.closeDeadline) return false
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delay)
      function done (): void {
        clearTimeout(timer)
        resolve()
      }
      this.wakeRetry = done
    })
    this.wakeRetry = undefined
    return until <= this.closeDeadline
  }

  private dead (records: ReadonlyArray<LogRecord | string>, error: string, attempts: number, asJson = false): void {
    for (const record of records) {
      this.deadLetter.add(typeof record === 'string' && asJson ? record : safeJson(record as LogRecord), error, attempts)
    }
    this.reportFailure('dead-lettered', records.length, error, attempts)
  }

  private reportFailure (outcome: 'dead-lettered' | 'dropped', count: number, error: string, attempts: number): void {
    const { kind: transport, common: { name, deadLetter } } = this
    this.channel.post({ type: 'failure', id: this.id, failure: { transport, name, outcome, count, error, attempts, deadLetter } })
    this.changed()
  }

  /** Posts the counters at most every 250 ms while they change. */
  private changed (): void {
    if (this.statsTimer !== undefined) return
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined
      this.channel.post({ type: 'stats', id: this.id, stats: this.stats() })
    }, 250)
    this.statsTimer.unref()
  }

  private idle (): Promise<void> {
    if (this.queue.size === 0 && !this.pumping && !this.pumpScheduled) return Promise.resolve()
    return new Promise((resolve) => { this.idleWaiters.push(resolve) })
  }

  /** Delivers what is held until the close deadline, dead-letters the rest, then closes the destination and the dead-letter file. */
  close (): Promise<void> {
    this.closing ??= this.finish()
    return this.closing
  }

  private async finish (): Promise<void> {
    this.closeDeadline = Date.now() + this.common.closeTimeoutMs
    this.wakeRetry?.()
    this.stopDrainRequests()
    const deadline = new Promise<'late'>((resolve) => setTimeout(resolve, this.common.closeTimeoutMs, 'late').unref())
    this.schedulePump()
    if (await Promise.race([this.idle().then(() => 'idle' as const), deadline]) === 'late') {
      const left = this.queue.take(this.queue.size)
      this.dead(left, 'not delivered before the close deadline', 0)
    }
    try {
      await this.destination.close?.()
    } catch (error) {
      this.channel.post({ type: 'failure', id: this.id, failure: { transport: this.kind, name: this.common.name, outcome: 'dropped', count: 0, error: `closing failed: ${describeFailure(error)}`, attempts: 0, deadLetter: this.common.deadLetter } })
    }
    this.deadLetter.close()
    if (this.statsTimer !== undefined) clearTimeout(this.statsTimer)
    this.channel.post({ type: 'closed', id: this.id, stats: this.stats() })
  }
}

/** A record as one JSON line, even one JSON.stringify refuses (it came from JSON, so only a BigInt-free copy can fail). */
function safeJson (record: LogRecord): string {
  try {
    return JSON.stringify(record)
  } catch (error) {
    return JSON.stringify({ daslog_error: `the record could not be serialized: ${describeFailure(error)}` })
  }
}

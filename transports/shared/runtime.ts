import build from 'pino-abstract-transport'
import type { Transform } from 'node:stream'
import { isMainThread } from 'node:worker_threads'
import { parseTransportOptions, type CommonOptions, type OptionsSpec } from './common-options.js'
import { BoundedQueue } from './bounded-queue.js'
import { DeadLetterFile } from './dead-letter.js'
import { backoffDelay, describeFailure, DeliveryError, type RetryPolicy } from './retry.js'
import { currentChannel, type Channel, type DeliveryFailure, type TransportStats } from './protocol.js'
import { Throttle, throttleKey, type Digest, type ThrottleOptions } from './throttle.js'
import { withoutViewerMessage } from './viewer-message.js'
import { withEventId } from './event-id.js'

/** A record as the transport receives it: one parsed pino line. */
export type LogRecord = Record<string, unknown>

/** Where a transport delivers: one instance per transport, opened once its options are checked. */
export interface Destination {
  /** Records handed to `deliver` at once, at most. */
  readonly batchSize: number
  /**
   * How long a batch that is not full may wait for more records before it is
   * delivered anyway (0, the default: at once, with what arrived together).
   * Draining and closing deliver at once.
   */
  readonly batchIntervalMs?: number
  /** Batches being delivered at once, at most (default 1: in order). */
  readonly concurrency?: number
  /**
   * True for a destination that delivers synchronously and fast (a local
   * file): a full batch is delivered as soon as its lines arrive, so the
   * worker keeps pace with the application (or, briefly, slows its writes)
   * instead of letting the queue overflow. A network destination leaves it
   * unset: its lines are queued, and what overflows is dead-lettered.
   */
  readonly inline?: boolean
  /** True for SMS: stats also count the message segments sent (`segments`). */
  readonly countsSegments?: boolean
  /** How failed deliveries are retried before the records are dead-lettered. */
  readonly retry: RetryPolicy
  /**
   * Delivers records, all or none: throws (a DeliveryError says whether a
   * retry can help) and the whole batch is retried or dead-lettered. A retry
   * passes the same array again (a destination may key what it made for the
   * batch, such as a message id, on it), or the part of it not yet delivered.
   * A note returned says the delivery only partly succeeded (a recipient
   * refused): the records count as delivered and the note is reported.
   */
  deliver (records: readonly LogRecord[]): Promise<DeliveryNote | undefined | void> | DeliveryNote | undefined | void
  /**
   * Alert-storm control: the first record of a key goes to `deliver` at once;
   * the same ones inside its window are held and go to `deliverDigest`
   * together when the window ends (or at drain and close), with the same
   * retries and dead letters.
   */
  readonly throttle?: ThrottleOptions
  deliverDigest? (digest: Digest): Promise<DeliveryNote | undefined | void> | DeliveryNote | undefined | void
  /** Releases what it holds, once everything is delivered or dead-lettered. */
  close? (): Promise<void> | void
}

/** What a delivery that went through has to say: it did not reach everyone (`problem`), or how many SMS segments it cost. */
export interface DeliveryNote {
  readonly problem?: string | undefined
  readonly segments?: number | undefined
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

/** What the source hands on for every line: the line itself; parsing waits until the record is needed. */
const unparsed = Object.freeze({})

/**
 * Builds a daslog transport: a pino-abstract-transport stream that takes
 * lines as fast as they come (so pino's worker reads its shared buffer at
 * once and the application thread never waits long for room), keeps the ones
 * its `events` accept in a bounded queue, delivers them in batches with
 * retries, and dead-letters what fails or overflows, counting everything.
 * Lines are parsed when delivered (or when `events` must look at them), so an
 * overflowing queue costs no parsing: the line goes to the dead-letter file as it is.
 */
export async function createTransport<O> (spec: TransportSpec<O>, rawOptions: unknown, channel: Channel = currentChannel()): Promise<DaslogTransportStream> {
  const { common, own } = parseTransportOptions(spec, rawOptions)
  const destination = await spec.open(own, common)
  const runtime = new TransportRuntime(spec.kind, common, destination, channel)
  const stream = build((source) => {
    source.on('data', (line: string) => { runtime.accept(line) })
  }, {
    parse: 'lines',
    parseLine: () => unparsed,
    metadata: false,
    close: async () => { await runtime.close() }
  }) as DaslogTransportStream
  Object.defineProperty(stream, transportControl, { value: runtime.control })
  return stream
}

/** A queued record: its line as received, or the record when `events` already parsed it. */
type Entry = string | LogRecord

/** A batch being delivered: the records of it not delivered yet, the tries made and how the last one failed. */
interface Flight {
  records: readonly LogRecord[]
  tries: number
  lastError?: string
  /** Set for a throttle digest (its key): delivered with `deliverDigest`. */
  readonly digestKey?: string | undefined
}

function isPromise<T> (value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function'
}

class TransportRuntime {
  readonly id: string
  private readonly queue: BoundedQueue<Entry>
  private readonly deadLetter: DeadLetterFile
  private readonly counts = { accepted: 0, delivered: 0, retried: 0, deadLettered: 0, dropped: 0, segments: 0 }
  /** Batches being delivered (or waiting to retry): what of each is not delivered yet. */
  private readonly flights = new Set<Flight>()
  private readonly concurrency: number
  private readonly batchIntervalMs: number
  /** A synchronous delivery is running (inline destinations deliver from `accept`). */
  private delivering = false
  private pumpScheduled = false
  /** Set when a batch that is not full may go: its interval passed, or a drain or close wants everything out. */
  private partialBatchDue = false
  private batchTimer: NodeJS.Timeout | undefined
  private closeDeadline = Infinity
  private abandoned = false
  /** Closing finished: a line that still comes is dead-lettered at once. */
  private closed = false
  private closing: Promise<void> | undefined
  private idleWaiters: Array<() => void> = []
  private readonly retryWakers = new Set<() => void>()
  private readonly throttle: Throttle | undefined
  /** Digests whose window ended, waiting for a free slot. */
  private readonly digests: Digest[] = []
  private statsTimer: NodeJS.Timeout | undefined
  private failures: Array<{ -readonly [K in keyof DeliveryFailure]: DeliveryFailure[K] }> = []
  private readonly stopCloseRequests: () => void
  readonly control: TransportControl

  constructor (
    private readonly kind: string,
    private readonly common: CommonOptions,
    private readonly destination: Destination,
    private readonly channel: Channel
  ) {
    this.id = `${kind}#${++instances}`
    this.concurrency = destination.concurrency ?? 1
    this.batchIntervalMs = destination.batchIntervalMs ?? 0
    const throttle = destination.throttle
    this.throttle = throttle === undefined ? undefined : new Throttle(throttle.windowMs, throttleKey(throttle), (digest) => { this.digestDue(digest) })
    this.queue = new BoundedQueue(common.queueSize)
    this.deadLetter = new DeadLetterFile(common.deadLetter, { transport: kind, name: common.name }, {
      onWritten: (count) => { this.counts.deadLettered += count; this.changed() },
      onLost: (count, error) => {
        this.counts.dropped += count
        this.reportFailure('dropped', count, `the dead-letter file failed (${describeFailure(error)})`, 0)
      }
    })
    this.control = { stats: () => this.stats(), drained: () => this.idle() }
    this.stopCloseRequests = channel.onCloseRequest(() => { void this.close() })
    channel.post({ type: 'started', id: this.id, stats: this.stats() })
    // First in line: thread-stream's own exit listener ends the thread at once after a crash.
    if (!isMainThread) process.prependOnceListener('exit', this.onWorkerExit)
  }

  stats (): TransportStats {
    const { accepted, delivered, retried, deadLettered, dropped, segments } = this.counts
    let held = this.throttle?.held ?? 0
    for (const flight of this.flights) held += flight.records.length
    for (const digest of this.digests) held += digest.records.length
    const stats = { transport: this.kind, name: this.common.name, accepted, delivered, retried, deadLettered, dropped, queued: this.queue.size + held }
    return this.destination.countsSegments === true ? { ...stats, segments } : stats
  }

  accept (received: string): void {
    // The record's event id, given here unless the worker (or the record) gave it one: overflow and close dead letters keep it too.
    const line = withEventId(received)
    let entry: Entry
    if (this.common.everyEvent) {
      entry = detached(line)
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
    } else if (this.destination.inline === true && this.queue.size >= this.destination.batchSize && !this.delivering && this.flights.size === 0) {
      this.deliverFullBatches()
    } else {
      this.schedulePump()
    }
    this.changed()
  }

  private schedulePump (): void {
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
  private pump (): void {
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
  private waitForBatch (): void {
    if (this.batchTimer !== undefined) return
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined
      this.partialBatchDue = true
      this.pump()
    }, this.batchIntervalMs)
  }

  /** Delivers full batches of an inline destination now; a batch that needs a retry continues asynchronously. */
  private deliverFullBatches (): void {
    this.delivering = true
    let outcome: 'settled' | 'pending' = 'settled'
    while (outcome === 'settled' && this.queue.size >= this.destination.batchSize) outcome = this.startBatch()
    this.delivering = false
    if (outcome === 'settled') this.schedulePump()
  }

  /** Takes one batch off the queue and delivers it: 'settled' when that happened synchronously, else it is in flight until its promise settles. */
  private startBatch (): 'settled' | 'pending' {
    const flight: Flight = { records: this.records(this.queue.take(this.destination.batchSize)), tries: 0 }
    if (flight.records.length === 0) return 'settled'
    return this.startFlight(flight)
  }

  private startFlight (flight: Flight): 'settled' | 'pending' {
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
  private records (entries: readonly Entry[]): LogRecord[] {
    const records: LogRecord[] = []
    for (const entry of entries) {
      if (typeof entry !== 'string') {
        records.push(entry)
        continue
      }
      const record = parseLine(entry)
      if (record === undefined) this.dead([entry], 'not a JSON record', 0)
      else records.push(record)
    }
    return this.throttle === undefined ? records : this.admitted(records)
  }

  /** The records the throttle lets through now; the others wait for their window's digest (counted against `queueSize`). */
  private admitted (records: LogRecord[]): LogRecord[] {
    const throttle = this.throttle!
    return records.filter((record) => {
      if (throttle.held >= this.common.queueSize) {
        this.dead([record], `too many alerts held for digests (queueSize ${this.common.queueSize})`, 0)
        return false
      }
      return throttle.admit(record)
    })
  }

  private digestDue (digest: Digest): void {
    this.digests.push(digest)
    this.schedulePump()
  }

  private landed (flight: Flight): void {
    this.flights.delete(flight)
    this.schedulePump()
    this.changed()
    this.notifyIfIdle()
  }

  /** Only a bug in daslog gets here: the rest of the batch is dead-lettered, never lost. */
  private landingFailed (flight: Flight, error: unknown): void {
    if (!this.abandoned) this.dead(flight.records, `daslog failed delivering: ${describeFailure(error)}`, 0)
    this.landed(flight)
  }

  private notifyIfIdle (): void {
    if (!this.isIdle()) return
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  private isIdle (): boolean {
    return this.queue.size === 0 && this.flights.size === 0 && !this.delivering && this.digests.length === 0 && (this.throttle?.held ?? 0) === 0
  }

  /**
   * Try `attempt` of a batch in flight: undefined when it was settled
   * synchronously (delivered or dead-lettered), else a promise that settles
   * when it is. On failure the batch is retried with backoff until the policy
   * or the close deadline gives up, then dead-lettered.
   */
  private deliver (flight: Flight, attempt: number): Promise<void> | undefined {
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

  private succeeded (flight: Flight, attempt: number, note: DeliveryNote | undefined | void): void {
    this.counts.delivered += flight.records.length
    if (note === undefined) return
    if (note.segments !== undefined) this.counts.segments += note.segments
    if (note.problem !== undefined) this.reportFailure('partially delivered', flight.records.length, note.problem, attempt)
  }

  private failed (flight: Flight, attempt: number, error: unknown): Promise<void> | undefined {
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
  private async waitToRetry (delay: number): Promise<boolean> {
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

  private dead (records: readonly Entry[], error: string, attempts: number): void {
    for (const record of records) this.deadLetter.add(entryJson(record), error, attempts)
    this.reportFailure('dead-lettered', records.length, error, attempts)
  }

  /** Failures are reported in sums, per outcome, error and attempt count, with the counters. */
  private reportFailure (outcome: DeliveryFailure['outcome'], count: number, error: string, attempts: number): void {
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
  private changed (): void {
    if (this.statsTimer !== undefined) return
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined
      this.report()
    }, 250)
    this.statsTimer.unref()
  }

  private report (): void {
    for (const failure of this.failures) this.channel.post({ type: 'failure', id: this.id, failure })
    this.failures = []
    this.channel.post({ type: 'stats', id: this.id, stats: this.stats() })
  }

  /** Resolves once nothing is queued or in flight; a batch that is not full goes out at once. */
  private idle (): Promise<void> {
    // Throttle windows end once the queue went through the throttle (pump), not before: the queued repeats belong in their digests.
    if (this.isIdle()) return Promise.resolve()
    this.partialBatchDue = true
    this.schedulePump()
    return new Promise((resolve) => { this.idleWaiters.push(resolve) })
  }

  /**
   * Gives up everything held, synchronously: batches in flight (whatever
   * their deliveries say later is not counted again), digests, alerts held
   * for one, and the queue are dead-lettered with `reason`.
   */
  private abandon (reason: string): void {
    this.abandoned = true
    for (const flight of this.flights) this.dead(flight.records, flight.lastError === undefined ? reason : `${flight.lastError}; ${reason}`, flight.tries)
    this.flights.clear()
    this.throttle?.flush()
    for (const digest of this.digests.splice(0)) this.dead(digest.records, reason, 0)
    this.dead(this.queue.take(this.queue.size), reason, 0)
  }

  /**
   * The worker is exiting before close (a transport beside this one crashed
   * it): what is held goes to the dead-letter file now, while it still can.
   * A batch in flight may have reached its destination; it is dead-lettered
   * all the same (a duplicate on replay beats a loss).
   */
  private readonly onWorkerExit = (): void => {
    if (!this.isIdle()) this.abandon('the transport worker exited before this record was delivered')
    this.deadLetter.close()
  }

  /** Delivers what is held until the close deadline, dead-letters the rest, then closes the destination and the dead-letter file. */
  close (): Promise<void> {
    this.closing ??= this.finish()
    return this.closing
  }

  private async finish (): Promise<void> {
    this.closeDeadline = Date.now() + this.common.closeTimeoutMs
    for (const wake of [...this.retryWakers]) wake()
    this.stopCloseRequests()
    // Not unref'd: closing is awaited, and a hung delivery must not let the process slip away before the deadline.
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<'late'>((resolve) => { timer = setTimeout(resolve, this.common.closeTimeoutMs, 'late') })
    const outcome = await Promise.race([this.idle().then(() => 'idle' as const), deadline])
    clearTimeout(timer)
    if (this.batchTimer !== undefined) clearTimeout(this.batchTimer)
    if (outcome === 'late') this.abandon('not delivered before the close deadline')
    try {
      await this.destination.close?.()
    } catch (error) {
      this.reportFailure('dropped', 0, `closing the destination failed: ${describeFailure(error)}`, 0)
    }
    this.closed = true
    this.deadLetter.close()
    process.off('exit', this.onWorkerExit)
    if (this.statsTimer !== undefined) clearTimeout(this.statsTimer)
    this.report()
    this.channel.post({ type: 'closed', id: this.id, stats: this.stats() })
  }
}

/**
 * The line as a string of its own. A line is a slice of the chunk it came in
 * (megabytes): a queued slice would keep its whole chunk alive, and a queue
 * that frees slots slowly would pin hundreds of them.
 */
function detached (line: string): string {
  return (' ' + line).slice(1)
}

/** A line's record; undefined when the line is not a JSON object. */
function parseLine (line: string): LogRecord | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? withoutViewerMessage(value as LogRecord) : undefined
  } catch {
    return undefined
  }
}

/**
 * An entry as the JSON of a dead letter's `record`: a line from pino as it
 * is (a JSON object: `{` to `}`), any other line as a JSON string.
 */
function entryJson (entry: Entry): string {
  if (typeof entry === 'string') {
    const trimmed = entry.trim()
    return trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed : JSON.stringify(entry)
  }
  try {
    return JSON.stringify(entry)
  } catch (error) {
    return JSON.stringify({ daslog_error: `the record could not be serialized: ${describeFailure(error)}` })
  }
}

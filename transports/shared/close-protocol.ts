import { isMainThread } from 'node:worker_threads'
import type { CommonOptions } from './common-options.js'
import type { Channel, TransportStats } from './protocol.js'
import { QueuePump } from './queue-pump.js'
import { describeFailure } from './retry.js'
import type { Destination, TransportControl } from './transport-types.js'

/**
 * A transport's runtime: its queue and pump and its delivery attempts, and
 * here the close protocol: closing delivers what is held until the close
 * deadline, dead-letters the rest, closes the destination and the
 * dead-letter file, and reports the last counters; a worker that exits
 * before close dead-letters what is held while it still can.
 */
export class TransportRuntime extends QueuePump {
  private readonly stopCloseRequests: () => void
  readonly control: TransportControl

  constructor (kind: string, common: CommonOptions, destination: Destination, channel: Channel) {
    super(kind, common, destination, channel)
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

import { closeCode, transportEventName, type DeliveryFailure, type TransportStats, type WorkerMessage } from '../../transports/shared/protocol.js'

/** The parts of pino's ThreadStream the link uses. */
export interface WorkerStream {
  on (event: string, listener: (...args: never[]) => void): unknown
  once (event: string, listener: (...args: never[]) => void): unknown
  readonly ready?: boolean
  readonly closed?: boolean
  readonly destroyed?: boolean
  /** daslog's own worker stream says when the logger is ending it: an exit then is the expected one. */
  readonly ending?: boolean
  readonly worker: { postMessage (message: unknown): void }
}

export function isWorkerStream (stream: unknown): stream is WorkerStream {
  const candidate = stream as Partial<WorkerStream> | null
  return typeof candidate?.on === 'function' && typeof candidate.worker?.postMessage === 'function'
}

export type DeliveryFailureListener = (failure: DeliveryFailure) => void

/** The transport worker as the application thread sees it: `starting` until it is ready, `exited` when it ended without being asked to. */
export type WorkerState = 'starting' | 'running' | 'exited' | 'closed'

export interface WorkerHealth {
  readonly state: WorkerState
  /** Why it exited. */
  readonly error?: string
  /** Each transport's counters as last reported (closed ones included). */
  readonly transports: readonly TransportStats[]
}

/**
 * The main thread's view of the daslog transports in one pino worker: their
 * counters as last reported, their delivery failures as events, and the
 * drain that lets close() wait without blocking the application thread.
 */
export class TransportLink {
  private readonly stats = new Map<string, TransportStats>()
  private readonly closed = new Set<string>()
  private readonly listeners = new Set<DeliveryFailureListener>()
  private readonly warned = new Set<string>()
  private readonly waiters = new Set<() => void>()
  private ended = false
  private exitError: string | undefined
  /** The logger asked its transports to close. */
  private closeAsked = false

  /** Records this thread dead-lettered because the worker could not take them (it crashed, or was ended). */
  private fallback: { -readonly [K in keyof TransportStats]: TransportStats[K] } | undefined

  /** `deadLetter`: where records go once the worker is gone (daslog's own worker stream); unset for a stream the application made. */
  constructor (private readonly stream: WorkerStream, private readonly deadLetter?: string) {
    stream.on(transportEventName, (message: WorkerMessage) => { this.receive(message) })
    stream.once('error', (error: unknown) => {
      if (stream.ending !== true) this.workerFailed(error)
    })
    for (const event of ['close', 'error']) {
      stream.once(event, () => {
        this.ended = true
        this.wake()
      })
    }
  }

  /** The counters of every daslog transport in the worker, as last reported (at most 250 ms old, exact after flush/close). */
  snapshot (): TransportStats[] {
    const all = [...this.stats.values()]
    if (this.fallback !== undefined) all.push({ ...this.fallback })
    return all
  }

  /** For health checks and metrics: the worker's state, and every transport's last counters. */
  health (): WorkerHealth {
    const transports = [...this.stats.values()]
    if (this.exitError !== undefined) return { state: 'exited', error: this.exitError, transports }
    if (this.closeAsked || this.ended || this.stream.closed === true || this.stream.destroyed === true) return { state: 'closed', transports }
    return { state: this.stream.ready === true ? 'running' : 'starting', transports }
  }

  /** The worker stream started dead-lettering records in this thread (`error` says why). */
  workerFallback (error: string): void {
    this.fallback ??= { transport: 'worker', name: 'daslog.transport', accepted: 0, delivered: 0, retried: 0, deadLettered: 0, dropped: 0, queued: 0 }
    // A crash was reported when the worker exited; a record logged after close is reported here.
    if (this.stream.ending === true) this.fail({ transport: 'worker', name: 'daslog.transport', outcome: 'dead-lettered', count: 1, error, attempts: 0, deadLetter: this.deadLetter ?? '(none)' })
  }

  countFallback (deadLettered: number, dropped: number): void {
    if (this.fallback === undefined) return
    this.fallback.accepted += deadLettered + dropped
    this.fallback.deadLettered += deadLettered
    this.fallback.dropped += dropped
  }

  /** The worker exited without being ended: every transport in it is reported failed; what they held was dead-lettered by them. */
  private workerFailed (error: unknown): void {
    const message = error instanceof Error ? error.message : String(error)
    this.exitError = `the transport worker exited (${message})`
    for (const [id, stats] of this.stats) {
      if (this.closed.has(id)) continue
      this.fail({
        transport: stats.transport,
        name: stats.name,
        outcome: 'failed',
        count: stats.queued,
        error: `the transport worker exited (${message}); what this transport held was dead-lettered`,
        attempts: 0,
        deadLetter: this.deadLetter ?? '(none)'
      })
    }
    if (this.deadLetter !== undefined) {
      this.fail({
        transport: 'worker',
        name: 'daslog.transport',
        outcome: 'failed',
        count: 0,
        error: `the transport worker exited (${message}); records logged from now on are dead-lettered`,
        attempts: 0,
        deadLetter: this.deadLetter
      })
    }
  }

  onFailure (listener: DeliveryFailureListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /**
   * Asks every transport to close (deliver until its close deadline, then
   * dead-letter the rest) and resolves once all have, or after `timeoutMs`.
   * The worker keeps reading, so this thread stays free meanwhile.
   */
  async closeTransports (timeoutMs: number): Promise<void> {
    this.closeAsked = true
    if (!await this.until(() => this.stream.ready === true, timeoutMs)) return
    if (this.allClosed()) return
    this.stream.worker.postMessage({ code: closeCode })
    await this.until(() => this.allClosed(), timeoutMs)
  }

  /** After the stream ended: resolves once every transport sent its final counters, or after `timeoutMs`. */
  async closing (timeoutMs: number): Promise<void> {
    await this.until(() => this.allClosed(), timeoutMs)
  }

  private allClosed (): boolean {
    return [...this.stats.keys()].every((id) => this.closed.has(id))
  }

  private receive (message: WorkerMessage): void {
    switch (message.type) {
      case 'failure':
        this.fail(message.failure)
        return
      case 'closed':
        this.stats.set(message.id, message.stats)
        this.closed.add(message.id)
        break
      default:
        this.stats.set(message.id, message.stats)
    }
    this.wake()
  }

  private fail (failure: DeliveryFailure): void {
    if (this.listeners.size > 0) {
      for (const listener of this.listeners) {
        try {
          listener(failure)
        } catch {}
      }
      return
    }
    const key = `${failure.outcome === 'failed' ? 'failed' : 'delivery'} ${failure.name}`
    if (this.warned.has(key)) return
    this.warned.add(key)
    if (failure.outcome === 'failed') {
      process.emitWarning(`daslog: ${failure.name}: ${failure.error} (dead letters: ${failure.deadLetter})`, { code: 'DASLOG_TRANSPORT_FAILED' })
      return
    }
    process.emitWarning(`daslog: ${failure.name}: ${failure.count} record(s) ${failure.outcome} after ${failure.attempts} attempt(s): ${failure.error} (dead letters: ${failure.deadLetter}; further failures are counted in logger.stats())`, { code: 'DASLOG_DELIVERY_FAILED' })
  }

  private wake (): void {
    for (const waiter of this.waiters) waiter()
  }

  /** Waits until `done()` holds (checked on every message), the stream ends, or the time is up; true when `done()` held. */
  private until (done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true)
    if (this.ended) return Promise.resolve(false)
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done() && !this.ended) return
        finish()
      }
      const finish = (): void => {
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve(done())
      }
      const timer = setTimeout(finish, timeoutMs)
      this.waiters.add(check)
      if (this.stream.ready !== true) this.stream.once('ready', check)
    })
  }
}

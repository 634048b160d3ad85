import { Connection } from 'rabbitmq-client'
import { describeFailure } from '../shared/retry.js'

export interface BrokerLinkOptions {
  /** How the broker's management UI lists the connection. */
  readonly name: string
  /** The longest wait between two reconnection attempts. */
  readonly reconnectMaxMs: number
  /** Connecting, and opening a channel, may take this long. */
  readonly timeoutMs: number
}

/**
 * One connection to RabbitMQ, kept up by rabbitmq-client (it reconnects with
 * backoff and its publishers and consumers declare their topology again on
 * the new channel), with what daslog reports about it: connected or not,
 * blocked by the broker (low on memory or disk) and why, the last error.
 * Its `error` event always has a listener: a dropped connection is a state,
 * never an uncaught exception in the worker.
 */
export class BrokerLink {
  readonly connection: Connection
  lastError = ''
  blockedBecause: string | undefined
  private readonly waiters = new Set<() => void>()

  constructor (url: URL, options: BrokerLinkOptions) {
    this.connection = new Connection({
      url: url.href,
      connectionName: options.name,
      retryLow: 100,
      retryHigh: options.reconnectMaxMs,
      connectionTimeout: options.timeoutMs,
      acquireTimeout: options.timeoutMs
    })
    this.connection.on('error', (error: unknown) => { this.lastError = describeFailure(error); this.onChange() })
    this.connection.on('connection', () => { this.blockedBecause = undefined; this.wake() })
    this.connection.on('connection.blocked', (reason: string) => { this.blockedBecause = reason; this.onChange() })
    this.connection.on('connection.unblocked', () => { this.blockedBecause = undefined; this.wake() })
  }

  /** Called when the connection comes up, goes down, is blocked or unblocked. */
  onChange: () => void = () => {}

  /** Connected and not blocked: messages may go. */
  get ready (): boolean {
    return this.connection.ready
  }

  /** Why messages cannot go now. */
  whyNotReady (): string {
    if (this.blockedBecause !== undefined) return `the broker blocked the connection (${this.blockedBecause}); publishing waits until it unblocks`
    return `the broker is unreachable${this.lastError === '' ? '' : ` (${this.lastError})`}; reconnecting`
  }

  /** Resolves when the connection is (re)established or unblocked, or after `ms`. */
  whenReady (ms: number): Promise<void> {
    if (this.ready) return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.waiters.add(done)
    })
  }

  private wake (): void {
    for (const done of [...this.waiters]) done()
    this.onChange()
  }

  /** Closes the connection once its channels closed; one that cannot close in `ms` (the broker is away) is destroyed. */
  async close (ms: number): Promise<void> {
    this.wake()
    this.onChange = () => {}
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(resolve, ms, 'late') })
    const outcome = await Promise.race([this.connection.close().then(() => 'closed' as const, () => 'closed' as const), late])
    clearTimeout(timer)
    if (outcome === 'late') this.connection.unsafeDestroy()
  }
}

/** Reconnection backoff: at most a quarter of the close deadline (within 100 ms and 2 s), so a broker back during close is found in time. */
export function reconnectMaxMs (closeTimeoutMs: number): number {
  return Math.max(100, Math.min(2_000, Math.floor(closeTimeoutMs / 4)))
}

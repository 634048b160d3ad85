import { isMainThread, parentPort } from 'node:worker_threads'

/**
 * What daslog transports in a pino worker and the logger in the main thread
 * say to each other. The worker's messages travel as thread-stream `EVENT`s
 * (the stream emits them as `daslog:transport`); the main thread's requests
 * go to the worker's port, where thread-stream ignores codes it does not know.
 */

/** Counters of one transport. accepted = delivered + deadLettered + dropped + queued (in flight included). */
export interface TransportStats {
  /**
   * The transport's kind: `csv`, `webhook`, `email`, `sms`; `pretty` for the
   * pretty console; `pino` for any other pino target (daslog guards it);
   * `worker` for the records the transport worker could not take.
   */
  readonly transport: string
  /** Its name: the `name` option, or the kind and where it delivers (`csv /var/log/audit.csv`). */
  readonly name: string
  /** Records it took (matching its `events` and level). */
  readonly accepted: number
  readonly delivered: number
  /**
   * Records sent again, not tries: each retry adds the records it sends
   * again (those of the batch not delivered yet), so a batch of 5 that fails
   * twice and then goes through counts 10. A try that never reached the
   * destination (its circuit breaker was open) adds nothing. Not part of the
   * sum above: a retried record still ends delivered, dead-lettered or dropped.
   */
  readonly retried: number
  /** Records written to the dead-letter file. */
  readonly deadLettered: number
  /** Records that could not even be dead-lettered (the dead-letter file failed); each is reported. */
  readonly dropped: number
  /** Records waiting or being delivered (alerts held for a throttle digest included). */
  readonly queued: number
  /** sms only: message segments sent (GSM-7: 160 characters in one, 153 per part; UCS-2: 70, 67 per part). */
  readonly segments?: number
  /** amqp only: whether the connection to the broker is up (and not blocked) now: the connection status an audit publisher reports. */
  readonly connected?: boolean
}

/**
 * A record (or a batch of them) given up on: dead-lettered, or dropped when
 * even that failed; or delivered only in part (an email a recipient refused).
 */
export interface DeliveryFailure {
  readonly transport: string
  readonly name: string
  /**
   * `dead-lettered`, `dropped`, or `partially delivered` (counted as delivered;
   * `error` says who refused); `failed` when the transport itself failed (it
   * threw, or its worker exited): `count` is what it held or had been given,
   * and what comes for it from then on is dead-lettered.
   */
  readonly outcome: 'dead-lettered' | 'dropped' | 'partially delivered' | 'failed'
  readonly count: number
  readonly error: string
  readonly attempts: number
  /** The dead-letter file the records went to. */
  readonly deadLetter: string
}

export type WorkerMessage =
  | { readonly type: 'started', readonly id: string, readonly stats: TransportStats }
  | { readonly type: 'stats', readonly id: string, readonly stats: TransportStats }
  | { readonly type: 'failure', readonly id: string, readonly failure: DeliveryFailure }
  | { readonly type: 'closed', readonly id: string, readonly stats: TransportStats }

/**
 * The main thread asks every transport to close: deliver what it holds until
 * its close deadline, dead-letter the rest, and answer `closed`. The worker
 * keeps running, so this thread stays free while they deliver; ending the
 * stream afterwards takes no time.
 */
export const closeCode = 'DASLOG_CLOSE'
export const transportEventName = 'daslog:transport'

/** How a transport reaches the main thread: through the worker's port, or nowhere when run in-process. */
export interface Channel {
  post (message: WorkerMessage): void
  /** Calls `handler` when the main thread asks the transports to close; returns the way to stop listening. */
  onCloseRequest (handler: () => void): () => void
}

const silentChannel: Channel = {
  post () {},
  onCloseRequest: () => () => {}
}

function portChannel (port: NonNullable<typeof parentPort>): Channel {
  return {
    post (message) {
      try {
        port.postMessage({ code: 'EVENT', name: transportEventName, args: [message] })
      } catch {}
    },
    onCloseRequest (handler) {
      const listener = (message: unknown): void => {
        if ((message as { code?: unknown } | null)?.code === closeCode) handler()
      }
      port.on('message', listener)
      return () => { port.off('message', listener) }
    }
  }
}

/** The channel of the thread this runs in. */
export function currentChannel (): Channel {
  return isMainThread || parentPort === null ? silentChannel : portChannel(parentPort)
}

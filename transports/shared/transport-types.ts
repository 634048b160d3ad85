import type { Transform } from 'node:stream'
import type { OptionsSpec, CommonOptions } from './common-options.js'
import type { RetryPolicy } from './retry.js'
import type { TransportStats } from './protocol.js'
import type { Digest, ThrottleOptions } from './throttle.js'

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
  /**
   * False for a destination that never shows a record's `event_id` (a CSV
   * file without an `event_id` column): its records get one only when they
   * are dead-lettered, which saves making an id per record delivered.
   */
  readonly eventIds?: boolean
  /**
   * Reads a queued line into the record `deliver` gets, for a destination
   * that does better than the runtime's JSON.parse (the csv file makes its
   * row from the line's text); undefined leaves the line to that parse. A
   * record made here carries its line under `recordLine`: a dead letter of
   * the record holds that line.
   */
  readonly readLine?: ((line: string) => LogRecord | undefined) | undefined
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
  /**
   * For a destination with a connection to watch (a broker, an SMTP pool, a
   * circuit breaker): called once, right after `open`, with the way to say
   * when it connects (`report(true)`) or loses it (`report(false, why)`),
   * whenever that happens, busy or idle. The transport's stats carry it as
   * `connection` (`connecting` until the first report), so the application
   * thread's health checks and `transport_up` metric see it within a second.
   */
  watchConnection? (report: ConnectionReport): void
  /** Releases what it holds, once everything is delivered or dead-lettered. */
  close? (): Promise<void> | void
}

/** How a destination says it is connected (`true`) or not (`false`, with why). */
export type ConnectionReport = (up: boolean, error?: string) => void

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

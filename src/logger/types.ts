import type { PrettyOptionsInput } from '../pretty/pretty-options.js'
import type { DestinationStream, Logger as PinoLogger, LoggerOptions as PinoLoggerOptions } from 'pino'
import type { Catalog, EventFieldMap } from '../catalog/types.js'
import type { EventFields as DefaultEventFields } from '../catalog/default-catalog.gen.js'
import type { LevelName } from '../levels.js'
import type { Processor } from '../processors/types.js'
import type { SamplingOptions } from '../processors/sampling.js'
import type { MaskingOptions } from '../processors/masking.js'
import type { BatchingOptions } from '../processors/batching.js'
import type { DeliveryFailure, TransportStats } from '../../transports/shared/protocol.js'
import type { ShutdownOptionsInput } from '../lifecycle/shutdown-options.js'
import type { ValidateMode } from './validate.js'

/** Fields a call may always add beside the declared ones: rich context is the point. */
export interface ExtraFields {
  /** An Error, serialized the pino way (type, message, stack) with its `cause` chain. */
  readonly err?: unknown
  /** The event name is the record's `event`: a field of that name would not be written. */
  readonly event?: never
  /**
   * `any` rather than `unknown` only so that a helper generic over a family of
   * events can spread fields of its own beside the event's (`{ ...fields, ...error }`,
   * see `EventsMatching`); declared fields keep their own types.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly [field: string]: any
}

/** A logger with nothing bound. */
export type NoBindings = Record<never, never>

/** The declared fields of `Declared` that `Bound` gives, with a type the declaration accepts. */
type CoveredBy<Declared, Bound> = {
  [K in keyof Declared & keyof Bound]-?: Bound[K] extends Declared[K] ? K : never
}[keyof Declared & keyof Bound]

/**
 * `Declared` with the fields a bound logger already carries made optional:
 * after `log.bind({ order_id })`, `order_id` need not be repeated (a bound
 * value of the wrong type does not count). `withContext` fields cannot be
 * known at compile time and never count.
 */
export type WithBound<Declared, Bound> = [CoveredBy<Declared, Bound>] extends [never]
  ? Declared
  : Flat<Omit<Declared, CoveredBy<Declared, Bound>> & Partial<Pick<Declared, CoveredBy<Declared, Bound>>>>

/** One object type instead of an intersection, so compile errors show the fields plainly. */
type Flat<T> = T extends infer O ? { [K in keyof O]: O[K] } : never

/** The fields argument of an event: required when the event declares a required field, optional otherwise. */
export type FieldsArg<Declared> = {} extends Declared
  ? [fields?: Declared & ExtraFields]
  : [fields: Declared & ExtraFields]

/**
 * A level method: `log.info(Events.AUTH_LOGIN_SUCCESS, { user_id })`. Unknown names and wrong field types do not compile;
 * fields bound with `bind()` (`B`) need not be repeated.
 */
export type LogMethod<F extends EventFieldMap, B = NoBindings> =
  <E extends keyof F & string>(event: E, ...fields: FieldsArg<WithBound<F[E], B>>) => void

/** A `domain_action` of the catalog that has a `_started` event: what `timed()` accepts. */
export type TimedOperation<F extends EventFieldMap> = {
  [E in keyof F & string]: E extends `${infer Operation}_started` ? Operation : never
}[keyof F & string]

/** The fields `timed()` passes to every event it logs: those of `{operation}_started` (less what the logger has bound). */
export type TimedFields<F extends EventFieldMap, Operation extends string, B = NoBindings> =
  `${Operation}_started` extends keyof F ? WithBound<F[`${Operation}_started`], B> & ExtraFields : ExtraFields

/** The event that closes an operation that went well: `_completed`, or `_success` when the catalog declares that instead. */
type ClosingEvent<F extends EventFieldMap, Operation extends string> =
  `${Operation}_completed` extends keyof F ? `${Operation}_completed` : `${Operation}_success` extends keyof F ? `${Operation}_success` : never

/**
 * What `timed()` hands its function: adds fields to the event that closes the
 * operation (`_completed`/`_success`, or `_failed` if it throws), such as what it
 * returned: `add({ rows_returned: rows.length })`. Typed by the closing event's fields.
 */
export type TimedAdd<F extends EventFieldMap, Operation extends string> =
  (fields: ([ClosingEvent<F, Operation>] extends [never] ? unknown : Partial<F[ClosingEvent<F, Operation>]>) & ExtraFields) => void

/** A logger's bindings after `bind(Fields)`: the new fields over the old ones. */
export type Rebound<B, Fields> = Flat<Omit<B, keyof Fields> & Fields>

/**
 * A daslog logger. `F`: the catalog's declared fields per event; `B`: the
 * fields bound so far (by `bind()`), which calls need not repeat.
 */
export interface Logger<F extends EventFieldMap = DefaultEventFields, B = NoBindings> {
  readonly trace: LogMethod<F, B>
  readonly debug: LogMethod<F, B>
  readonly info: LogMethod<F, B>
  readonly warn: LogMethod<F, B>
  readonly error: LogMethod<F, B>
  readonly fatal: LogMethod<F, B>
  /**
   * Logs at the level the catalog declares for the event (its status's or
   * action's `level`), `info` when it declares none:
   * `log.event(Events.PAYMENT_PROCESS_FAILED, fields)` writes at `error`.
   * Typed like the level methods; an event outside the catalog (an untyped
   * caller) is written at `info`.
   */
  readonly event: LogMethod<F, B>

  /** A child logger whose records carry `correlation_id`. The parent is unchanged. */
  bind (correlationId: string): Logger<F, Rebound<B, { correlation_id: string }>>
  /**
   * A child logger whose records carry `fields` (serialized once, now). The parent is unchanged.
   * Its calls need not repeat a declared field bound here; a call that does anyway
   * writes the key once, with the call's value. A bound `event` is ignored.
   */
  bind<Fields extends Readonly<Record<string, unknown>>> (fields: Fields): Logger<F, Rebound<B, Fields>>
  /** The fields bound to this logger so far. */
  bindings (): Readonly<Record<string, unknown>>

  /**
   * Runs `fn`; every record any daslog logger writes inside it (and its async continuations) carries `fields`.
   * Unlike `bind()`, these cannot be known at compile time: calls inside still give the event's required fields.
   */
  withContext<T> (fields: Readonly<Record<string, unknown>>, fn: () => T): T

  /**
   * Logs `{operation}_started`, runs `fn`, then `{operation}_completed` (or `_success`,
   * whichever the catalog declares) with `duration_ms`, or `{operation}_failed` at error
   * with `err` and `duration_ms`, rethrowing. Sync or async; returns what `fn` returns.
   * `fn` receives `add`, which adds fields to that closing event: `add({ rows_returned: rows.length })`.
   */
  timed<Operation extends TimedOperation<F>, T> (operation: Operation, fields: TimedFields<F, Operation, B>, fn: (add: TimedAdd<F, Operation>) => T): T

  /** Resolves when every record logged before the call has reached its destination (for a transport: the worker has it). */
  flush (): Promise<void>
  /** Flushes, then ends the transports daslog opened; resolves once they have finished with everything they held. */
  close (): Promise<void>

  /**
   * The counters of every daslog transport the logger writes through (accepted,
   * delivered, retried, deadLettered, dropped, queued), as the worker last
   * reported them: at most 250 ms old, exact once `flush()` or `close()` resolved.
   */
  stats (): TransportStats[]
  /**
   * Calls `listener` whenever a transport gives records up (dead-lettered, or
   * dropped when even the dead-letter file failed). Without a listener, the
   * first failure of each transport is a process warning (`DASLOG_DELIVERY_FAILED`).
   * Returns the way to stop listening.
   */
  onDeliveryFailure (listener: (failure: DeliveryFailure) => void): () => void

  /** The minimum level written: a pino level name, or `silent`. Setting it changes this logger and the children that did not set their own. */
  level: LevelName | 'silent' | (string & {})
  isLevelEnabled (level: string): boolean
  /** The pino logger underneath (this logger's pino child, bindings included). */
  readonly pino: PinoLogger
}

/** Options daslog adds to pino's. */
export interface DaslogOptions<F extends EventFieldMap> {
  /** The processor chain, run in order between the call and serialization, after the built-ins given as data below. */
  processors?: readonly Processor[]
  /** `sampling()` given as data (as in a config file): first in the chain. */
  sampling?: SamplingOptions
  /** `masking()` given as data: after sampling. */
  masking?: MaskingOptions
  /** `batching()` given as data: after masking, before `processors`. */
  batching?: BatchingOptions
  /** A config file to load (`pino.config.*`), or `false` to load none. Default: the working directory's, or `DASLOG_CONFIG`. */
  config?: string | false
  /** The event catalog (a generated module's `catalog`): types the logger and tells `timed()` the statuses. */
  catalog?: Catalog<F>
  /**
   * How the logger takes part in the end of the process. Exit and `process.exit()`
   * always deliver what is pending. By default SIGTERM and SIGINT close the
   * transports and then re-raise the signal (unless the application handles it),
   * an uncaught exception is written as a `fatal` record first, and the
   * transports get `graceMs` (5000) to deliver before the rest is dead-lettered.
   * `false`: no signal handlers and no uncaught-exception record.
   */
  shutdown?: ShutdownOptionsInput | false
  /**
   * The dead-letter file (NDJSON) for records the transport worker could not
   * take (written after it crashed, or after the logger was closed), and for
   * the records of a target that is not daslog's once it failed (threw).
   * Default: `transport-worker.dead-letter.ndjson` in the working directory.
   */
  deadLetter?: string
  /** Strings longer than this are cut, with a `...[truncated N characters]` marker (default 100,000). */
  maxStringLength?: number
  /**
   * OpenTelemetry trace context: with `@opentelemetry/api` installed (an
   * optional peer dependency, 1.x) and a span active, every record carries
   * `trace_id`, `span_id` and `trace_flags`. Default false, and then it
   * costs nothing.
   */
  traceContext?: boolean
  /**
   * Development mode: records printed by pino-pretty, colourized on a
   * terminal, the event name in bold, control and bidi characters removed.
   * Alone, it replaces the JSON lines on stdout; beside a `transport`, it is
   * one more target in the worker (the transports still get every record).
   */
  pretty?: boolean | PrettyOptionsInput
  /**
   * Checks every call against the catalog (the event is in it; its declared
   * fields, from the call, `bind()` or `withContext()`, have their types;
   * required ones are present). `warn`: the first problem record of each event
   * is a process warning (`DASLOG_SCHEMA`) naming the event and the field.
   * `strict`: that too, and every such record carries `schema_errors`. Records
   * are never dropped and a call never throws. Default `false`: no check, no
   * cost (`createTestLogger` defaults to `strict`).
   */
  validate?: ValidateMode | false
}

/** Every pino option (daslog writes the event name under `event`, so `messageKey` is its own) plus daslog's. */
export type LoggerOptions<F extends EventFieldMap = DefaultEventFields> =
  Omit<PinoLoggerOptions, 'messageKey' | 'browser'> & DaslogOptions<F>

export type { DestinationStream }

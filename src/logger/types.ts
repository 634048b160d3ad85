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
  readonly [field: string]: unknown
}

/** The fields argument of an event: required when the event declares a required field, optional otherwise. */
export type FieldsArg<Declared> = {} extends Declared
  ? [fields?: Declared & ExtraFields]
  : [fields: Declared & ExtraFields]

/** A level method: `log.info(Events.AUTH_LOGIN_SUCCESS, { user_id })`. Unknown names and wrong field types do not compile. */
export type LogMethod<F extends EventFieldMap> = <E extends keyof F & string>(event: E, ...fields: FieldsArg<F[E]>) => void

/** A `domain_action` of the catalog that has a `_started` event: what `timed()` accepts. */
export type TimedOperation<F extends EventFieldMap> = {
  [E in keyof F & string]: E extends `${infer Operation}_started` ? Operation : never
}[keyof F & string]

/** The fields `timed()` passes to every event it logs: those of `{operation}_started`. */
export type TimedFields<F extends EventFieldMap, Operation extends string> =
  `${Operation}_started` extends keyof F ? F[`${Operation}_started`] & ExtraFields : ExtraFields

export interface Logger<F extends EventFieldMap = DefaultEventFields> {
  readonly trace: LogMethod<F>
  readonly debug: LogMethod<F>
  readonly info: LogMethod<F>
  readonly warn: LogMethod<F>
  readonly error: LogMethod<F>
  readonly fatal: LogMethod<F>
  /**
   * Logs at the level the catalog declares for the event (its status's or
   * action's `level`), `info` when it declares none:
   * `log.event(Events.PAYMENT_PROCESS_FAILED, fields)` writes at `error`.
   * Typed like the level methods; an event outside the catalog (an untyped
   * caller) is written at `info`.
   */
  readonly event: LogMethod<F>

  /** A child logger whose records carry `correlation_id`. The parent is unchanged. */
  bind (correlationId: string): Logger<F>
  /** A child logger whose records carry `fields` (serialized once, now). The parent is unchanged. */
  bind (fields: Readonly<Record<string, unknown>>): Logger<F>
  /** The fields bound to this logger so far. */
  bindings (): Readonly<Record<string, unknown>>

  /** Runs `fn`; every record any daslog logger writes inside it (and its async continuations) carries `fields`. */
  withContext<T> (fields: Readonly<Record<string, unknown>>, fn: () => T): T

  /**
   * Logs `{operation}_started`, runs `fn`, then `{operation}_completed` (or `_success`,
   * whichever the catalog declares) with `duration_ms`, or `{operation}_failed` at error
   * with `err` and `duration_ms`, rethrowing. Sync or async; returns what `fn` returns.
   */
  timed<Operation extends TimedOperation<F>, T> (operation: Operation, fields: TimedFields<F, Operation>, fn: () => T): T

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

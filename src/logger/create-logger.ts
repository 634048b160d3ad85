import { join, resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import pino, { symbols, type DestinationStream, type Logger as PinoLogger, type LoggerOptions as PinoLoggerOptions } from 'pino'
import { errWithCause } from 'pino-std-serializers'
import { catalog as defaultCatalog } from '../catalog/default-catalog.gen.js'
import type { Catalog, EventFieldMap } from '../catalog/types.js'
import type { EventFields as DefaultEventFields } from '../catalog/default-catalog.gen.js'
import { resolveOptions } from '../config/resolve-options.js'
import { ConfigError } from '../errors.js'
import { levelNames, levelValues, type LevelName } from '../levels.js'
import type { Processor } from '../processors/types.js'
import { buildProcessorChain } from '../processors/from-options.js'
import { runProcessors } from '../processors/chain.js'
import { joinShutdown, type ShutdownMember } from '../lifecycle/process-hooks.js'
import { shutdownOptions, type ShutdownOptions } from '../lifecycle/shutdown-options.js'
import { writeEventAsMessage } from './event-message.js'
import { lineGuard, maxStringLengthOption } from './line-guard.js'
import { genLog, writerFor, type LogFn, type WriteFn } from './log-method.js'
import { lineWriter, type LineWrite } from './plain-line.js'
import { LoggerCore, metaTable, type SharedState } from './logger-core.js'
import { safeStringify, toSafeValue } from './safe-value.js'
import { validatingMethods, type ValidateMode } from './validate.js'
import { batchEvent } from '../processors/batching.js'
import { suppressedEvent } from '../processors/rate-limit.js'
import { withTraceContext } from './trace-context.js'
import type { EventTap } from '../metrics/event-counts.js'
import { prepareTransport, type PrepareContext, type PreparedTransport } from '../transports/prepare-targets.js'
import { isWorkerStream, TransportLink } from '../transports/transport-link.js'
import { WorkerStream } from '../transports/worker-stream.js'
import { prettyOptions } from '../pretty/pretty-options.js'
import { prettyStream } from '../pretty/pretty-stream.js'
import { withPrettyTarget } from '../pretty/pretty-target.js'
import { workingDirectoryDeadLetter } from '../../transports/shared/common-options.js'
import type { Logger, LoggerOptions } from './types.js'

/** The event of the `fatal` record written for an uncaught exception or unhandled rejection: `{ err, origin }`. */
export const uncaughtExceptionEvent = 'process_exception_detected'

/**
 * Creates a logger: the config file's options (unless `config: false`)
 * overridden by `options`, written to `destination`, or to the configured
 * `transport`, or to stdout (a synchronous sonic-boom, as `pino.destination()`).
 */
export function createLogger<F extends EventFieldMap = DefaultEventFields> (
  options: LoggerOptions<F> = {},
  destination?: DestinationStream
): Logger<F> {
  const { options: resolved, configFile, fileOf } = resolveOptions(options as Record<string, unknown>)
  const {
    processors = [], catalog = defaultCatalog, config: _config, transport: transportGiven, shutdown: shutdownGiven,
    deadLetter: deadLetterGiven, maxStringLength: maxStringGiven, pretty: prettyGiven, traceContext = false,
    sampling: _sampling, masking: _masking, batching: _batching, validate = false, ...pinoOptions
  } = resolved as LoggerOptions<EventFieldMap>
  const chain = buildProcessorChain(resolved, processors, fileOf)
  const shutdown = shutdownOptions(shutdownGiven, fileOf('shutdown'))
  const maxStringLength = maxStringLengthOption(maxStringGiven, fileOf('maxStringLength'))
  const pretty = prettyOptions(prettyGiven, fileOf('pretty'))
  // Beside a transport, the pretty console is one more target in the worker.
  const transport = pretty !== undefined && transportGiven !== undefined
    ? withPrettyTarget(transportGiven as unknown as Record<string, unknown>, pretty)
    : transportGiven

  if (destination !== undefined && transport !== undefined) {
    throw new ConfigError('transport', 'give either a transport option or a destination stream, not both', configFile)
  }
  let owned: WorkerStream | undefined
  // Assigned once the stream exists; the stream's fallback callbacks, made before it, report to it.
  // eslint-disable-next-line prefer-const
  let link: TransportLink | undefined
  let closeWaitMs = shutdown.graceMs + 1_000
  if (destination === undefined && transport !== undefined) {
    const deadLetter = deadLetterGiven === undefined
      ? workingDirectoryDeadLetter('transport', 'worker')
      : resolvePath(deadLetterGiven) // validateOptions saw a non-empty string
    const prepared = preparedTransport(transport as unknown as Record<string, unknown>, {
      catalog: catalog as Catalog, file: fileOf('transport'), callers: transportCallers(configFile), closeTimeoutMs: shutdown.graceMs, deadLetter
    })
    closeWaitMs = prepared.closeTimeoutMs + 1_000
    try {
      owned = new WorkerStream(prepared.workerData, prepared.usesMultistream, {
        deadLetter,
        onFirstFallback: (error) => { link?.workerFallback(error) },
        onCounts: (deadLettered, dropped) => { link?.countFallback(deadLettered, dropped) }
      })
    } catch (err) {
      throw new ConfigError('transport', (err as Error).message, configFile, { cause: err })
    }
  }
  if (pretty !== undefined && isWorkerStream(destination)) {
    throw new ConfigError('pretty', 'a pino.transport() stream takes JSON lines; give the transport option instead, and pretty adds its console target to it', configFile)
  }
  const stream = owned ?? (pretty !== undefined ? prettyStream(pretty, destination) : destination ?? pino.destination({ dest: 1, sync: true }))
  const workerStream = owned ?? destination
  link = isWorkerStream(workerStream) ? new TransportLink(workerStream, owned === undefined ? undefined : owned.deadLetterFile) : undefined

  const guarding = { guard: lineGuard(maxStringLength, pinoOptions.hooks?.streamWrite), maxStringLength, applicationHook: pinoOptions.hooks?.streamWrite !== undefined }
  const fullPinoOptions: PinoLoggerOptions = {
    ...pinoOptions,
    messageKey: 'event',
    serializers: { err: errWithCause, ...pinoOptions.serializers },
    hooks: { ...pinoOptions.hooks, streamWrite: guarding.guard }
  }
  let root: PinoLogger
  try {
    root = pino(fullPinoOptions, stream)
  } catch (err) {
    throw new ConfigError(optionNamedIn((err as Error).message), (err as Error).message, configFile, { cause: err })
  }
  // pino's fallback stringifier writes a BigInt as a bare (rounded-on-parse) number; keep it exact, as a string.
  ;(root as unknown as Record<symbol, unknown>)[symbols.stringifySafeSym] = safeStringify
  writeEventAsMessage(root)

  // Without a logMethod hook or msgPrefix, pino's level method only massages arguments daslog already has in shape.
  const direct = pinoOptions.hooks?.logMethod === undefined && pinoOptions.msgPrefix === undefined
  const validation = validate === false ? undefined : { mode: validate, base: pinoOptions.base }
  const shared = sharedState(chain, catalog as Catalog, { line: direct ? lineWriter(root, guarding) : undefined, traceContext }, validation, { owned, link, closeWaitMs })
  startProcessors(chain, root, shared)
  const logger = new LoggerCore(root, shared)
  shared.takePartInShutdown(shutdownMember(logger, shutdown))
  return logger as unknown as Logger<F>
}

/** prepareTransport, with a target it cannot find (or any other surprise) reported as a ConfigError of `transport`. */
function preparedTransport (transport: Record<string, unknown>, context: PrepareContext): PreparedTransport {
  try {
    return prepareTransport(transport, context)
  } catch (err) {
    if (err instanceof ConfigError) throw err
    throw new ConfigError('transport', (err as Error).message, context.file, { cause: err })
  }
}

/** How the process hooks reach this logger: its close, flush, exit sequence and the record of an uncaught exception. */
function shutdownMember (logger: LoggerCore, shutdown: ShutdownOptions): ShutdownMember {
  return {
    shutdown,
    exitNow: () => { logger._shared.exitNow() },
    close: () => logger.close(),
    flush: () => logger.flush(),
    recordUncaught (error, origin) {
      logger._shared.methods.fatal.call(logger, uncaughtExceptionEvent, { err: error, origin })
    }
  }
}

/** The `validate` option when on, with pino's `base` fields (present in every record, so they count for required fields). */
interface Validation {
  readonly mode: ValidateMode
  readonly base: Readonly<Record<string, unknown>> | null | undefined
}

/** The pino worker daslog delivers through, if any: the one it opened (and ends at close), and the link to its transports. */
interface Transports {
  readonly owned: WorkerStream | undefined
  readonly link: TransportLink | undefined
  readonly closeWaitMs: number
}

/** How records reach pino: the step its level methods end in, when nothing else must see the call (no logMethod hook or msgPrefix), and with the active span's ids (`traceContext`). */
interface Writing {
  readonly line: LineWrite | undefined
  readonly traceContext: boolean
}

function sharedState (processors: readonly Processor[], catalog: Catalog, writing: Writing, validation: Validation | undefined, transports: Transports): SharedState {
  const { owned, link, closeWaitMs } = transports
  const eventTap: EventTap = { counts: undefined }
  let writers = {} as Record<LevelName, WriteFn>
  for (const level of levelNames) writers[level] = writerFor(level, levelValues[level], writing.line, eventTap)
  // Off, nothing is added to the path a record takes.
  if (writing.traceContext) writers = withTraceContext(writers)
  const written = {} as Record<LevelName, LogFn>
  for (const level of levelNames) written[level] = genLog(level, writers[level], processors)
  // Off, the level methods are genLog's own: validation costs nothing.
  const methods = validation === undefined
    ? written
    : validatingMethods(written, catalog, validation.mode, [uncaughtExceptionEvent, batchEvent, suppressedEvent], validation.base)

  const failures = new Map<Processor, number>()
  let writeFailureReported = false
  let closing: Promise<void> | undefined
  let member: ShutdownMember | undefined
  let leaveShutdown = (): void => {}
  const shared: SharedState = {
    methods,
    writers,
    processors,
    catalog,
    eventTap,
    link,
    onProcessorDrop (processor) {
      eventTap.counts?.dropped(processor.dropReason ?? 'filtered')
    },
    onProcessorFailure (processor, index, error) {
      eventTap.counts?.dropped('processor_failure')
      const count = (failures.get(processor) ?? 0) + 1
      failures.set(processor, count)
      if (count > 1) return
      // The error's message may quote the record, so only its type and where it was thrown are reported.
      process.emitWarning(`daslog: ${processorLabel(processor, index)} threw ${describeThrown(error)}; its records are dropped and counted`, { code: 'DASLOG_PROCESSOR_FAILED' })
    },
    writeFailed (target: PinoLogger, write: WriteFn, obj: unknown, msg: string | undefined, error: unknown) {
      try {
        write(target, toSafeValue(obj), msg)
        return
      } catch {}
      try {
        write(target, { daslog_error: `the record could not be written: ${String(error)}` }, msg)
        return
      } catch {}
      if (!writeFailureReported) {
        writeFailureReported = true
        process.emitWarning(`daslog: a record could not be written to its destination: ${String(error)}`, { code: 'DASLOG_WRITE_FAILED' })
      }
    },
    flushProcessors,
    transportStats: () => link?.snapshot() ?? [],
    onDeliveryFailure: (listener) => link?.onFailure(listener) ?? (() => {}),
    takePartInShutdown (joining) {
      // Held here, so the process hooks reach this logger for as long as it lives; one that holds records
      // (a worker of its own, batches) is held by them too, so a logger dropped without close() still delivers at exit.
      member = joining
      leaveShutdown = joinShutdown(member, owned !== undefined || processors.some((processor) => processor.flush !== undefined))
    },
    exitNow () {
      if (member === undefined) return
      flushProcessors()
      if (owned !== undefined && owned.closed !== true) {
        // Blocks until the worker's transports closed: they deliver until their close deadline, then dead-letter the rest.
        try {
          owned.flushSync()
          owned.end()
        } catch {}
      }
      owned?.flushFallback()
    },
    close (flush) {
      closing ??= flush().finally(async () => {
        forEachHook(processors, shared, 'close')
        reportFailureCounts(processors, failures)
        leaveShutdown()
        member = undefined
        // Let the worker's transports deliver and close while this thread stays free; ending the stream then takes no time.
        await link?.closeTransports(closeWaitMs)
        if (owned === undefined || owned.closed === true) return
        await closeTransport(owned)
        await link?.closing(2_000)
        owned.flushFallback()
      })
      return closing
    }
  }
  function flushProcessors (): void {
    forEachHook(processors, shared, 'flush')
  }
  return shared
}

/**
 * Gives processors that write records of their own (batches, summaries) the
 * way to do it: through the processors after them, then to the root pino
 * logger at the level they choose. What they hold is flushed at exit.
 */
function startProcessors (processors: readonly Processor[], root: PinoLogger, shared: SharedState): void {
  const rootMeta = metaTable(Object.freeze({}))
  processors.forEach((processor, index) => {
    processor.start?.((record, level) => {
      const output = runProcessors(processors, record, rootMeta[level], shared.onProcessorFailure, index + 1, shared.onProcessorDrop)
      if (output === null) return
      const write = shared.writers[level]
      try {
        write(root, output, undefined)
      } catch (error) {
        shared.writeFailed(root, write, output, undefined, error)
      }
    })
  })
}

/** At close, the count of records each throwing processor dropped: reported once at the first failure, counted since. */
function reportFailureCounts (processors: readonly Processor[], failures: ReadonlyMap<Processor, number>): void {
  if (failures.size === 0) return
  const counts = [...failures].map(([processor, count]) => `${processorLabel(processor, processors.indexOf(processor))}: ${count}`)
  process.emitWarning(`daslog: records dropped because a processor threw: ${counts.join(', ')}`, { code: 'DASLOG_PROCESSOR_FAILED' })
}

/** Calls one lifecycle hook of every processor that has it; a throwing hook is reported like a throwing processor. */
function forEachHook (processors: readonly Processor[], shared: SharedState, hook: 'flush' | 'close'): void {
  processors.forEach((processor, index) => {
    try {
      processor[hook]?.()
    } catch (error) {
      shared.onProcessorFailure(processor, index, error)
    }
  })
}

/** `processor 1 (mask)`: how warnings name a processor. */
function processorLabel (processor: Processor, index: number): string {
  return `processor ${index} (${processor.name || 'anonymous'})`
}

/** `TypeError at file.js:12:5`: what was thrown and where, without its message. */
function describeThrown (error: unknown): string {
  if (!(error instanceof Error)) return `a ${typeof error}`
  const frame = error.stack?.split('\n').find((line) => line.trimStart().startsWith('at '))
  return frame === undefined ? error.name : `${error.name} ${frame.trim()}`
}

async function closeTransport (transport: WorkerStream): Promise<void> {
  await new Promise<void>((resolve) => {
    // thread-stream emits 'finish' once the worker's destination has closed (its
    // transports finished with everything they held), 'close' once the worker
    // has exited, and 'error' if ending failed; any of them ends the wait.
    for (const event of ['finish', 'close', 'error']) transport.once(event, () => { resolve() })
    transport.end()
  })
}

/** Where pino resolves transport targets from: the config file's folder, the working directory, then daslog itself. */
function transportCallers (configFile: string | undefined): string[] {
  const callers = [join(process.cwd(), 'noop.js'), fileURLToPath(import.meta.url)]
  if (configFile !== undefined) callers.unshift(configFile)
  return callers
}

function optionNamedIn (message: string): string {
  const match = /\b(redact|level|customLevels|mixin|msgPrefix|timestamp|formatters|serializers)\b/.exec(message)
  return match?.[1] ?? '(pino)'
}

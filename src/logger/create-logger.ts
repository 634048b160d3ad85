import { join } from 'node:path'
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
import { genLog, type LogFn, type WriteFn } from './log-method.js'
import { LoggerCore, type SharedState } from './logger-core.js'
import { safeStringify, toSafeValue } from './safe-value.js'
import type { Logger, LoggerOptions } from './types.js'

type ThreadStream = DestinationStream & {
  end (): void
  once (event: string, listener: (...args: unknown[]) => void): void
  closed?: boolean
}

/**
 * Creates a logger: the config file's options (unless `config: false`)
 * overridden by `options`, written to `destination`, or to the configured
 * `transport`, or to stdout (a synchronous sonic-boom, as `pino.destination()`).
 */
export function createLogger<F extends EventFieldMap = DefaultEventFields> (
  options: LoggerOptions<F> = {},
  destination?: DestinationStream
): Logger<F> {
  const { options: resolved, configFile } = resolveOptions(options as Record<string, unknown>)
  const { processors = [], catalog = defaultCatalog, config: _config, transport, ...pinoOptions } = resolved as LoggerOptions<EventFieldMap>

  if (destination !== undefined && transport !== undefined) {
    throw new ConfigError('transport', 'give either a transport option or a destination stream, not both', configFile)
  }
  let ownedTransport: ThreadStream | undefined
  if (destination === undefined && transport !== undefined) {
    try {
      ownedTransport = pino.transport({ ...transport, caller: transportCallers(configFile) } as never) as ThreadStream
    } catch (err) {
      throw new ConfigError('transport', (err as Error).message, configFile, { cause: err })
    }
  }
  const stream = destination ?? ownedTransport ?? pino.destination({ dest: 1, sync: true })

  const fullPinoOptions: PinoLoggerOptions = {
    ...pinoOptions,
    messageKey: 'event',
    serializers: { err: errWithCause, ...pinoOptions.serializers }
  }
  let root: PinoLogger
  try {
    root = pino(fullPinoOptions, stream)
  } catch (err) {
    throw new ConfigError(optionNamedIn((err as Error).message), (err as Error).message, configFile, { cause: err })
  }
  // pino's fallback stringifier writes a BigInt as a bare (rounded-on-parse) number; keep it exact, as a string.
  ;(root as unknown as Record<symbol, unknown>)[symbols.stringifySafeSym] = safeStringify

  // Without a logMethod hook or msgPrefix, pino's level method only massages arguments daslog already has in shape.
  const direct = pinoOptions.hooks?.logMethod === undefined && pinoOptions.msgPrefix === undefined
  const shared = sharedState(processors, catalog as Catalog, direct, ownedTransport)
  return new LoggerCore(root, shared) as unknown as Logger<F>
}

function sharedState (processors: readonly Processor[], catalog: Catalog, direct: boolean, ownedTransport: ThreadStream | undefined): SharedState {
  const methods = {} as Record<LevelName, LogFn>
  for (const level of levelNames) methods[level] = genLog(level, levelValues[level], direct, processors.length > 0)

  const reportedProcessors = new WeakSet<Processor>()
  let writeFailureReported = false
  let closing: Promise<void> | undefined
  const shared: SharedState = {
    methods,
    processors: [...processors],
    catalog,
    onProcessorFailure (processor, index, error) {
      if (reportedProcessors.has(processor)) return
      reportedProcessors.add(processor)
      process.emitWarning(`daslog: processor ${index} (${processor.name || 'anonymous'}) threw; its records are dropped: ${String(error)}`, { code: 'DASLOG_PROCESSOR_FAILED' })
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
    close (flush) {
      closing ??= flush().finally(() => closeTransport(ownedTransport))
      return closing
    }
  }
  return shared
}

async function closeTransport (transport: ThreadStream | undefined): Promise<void> {
  if (transport === undefined || transport.closed === true) return
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

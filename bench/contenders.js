// One factory per library, each writing newline-delimited JSON to its own
// synchronous sonic-boom on /dev/null (pino's sync destination), so every
// contender pays for the same write. Peers that cannot share the project's
// dependency tree (evlog) come from bench/peers/ (see isolated-peers.js),
// once run.js has loaded them; until then they are reported n/a.
import { createRequire } from 'node:module'
import { Writable } from 'node:stream'
import { configureSync, getLogger, jsonLinesFormatter } from '@logtape/logtape'
import bunyan from 'bunyan'
import pino from 'pino'
import winston from 'winston'
import { createLogger } from 'daslog'

const require = createRequire(import.meta.url)

export const sink = () => pino.destination({ dest: '/dev/null', sync: true })

/** pino's `base` with fixed values, so every contender writes the same bytes of boilerplate. */
const base = { pid: 1, hostname: 'bench' }

export function rawPino (options = {}) {
  return pino({ base, ...options }, sink())
}

export function daslog (options = {}) {
  return createLogger({ config: false, base, ...options }, sink())
}

export function winstonLogger () {
  return winston.createLogger({
    level: 'info',
    defaultMeta: base,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    // winston writes to node streams only: a Writable that hands each line to the same sync sink.
    transports: [new winston.transports.Stream({ stream: writableSink() })]
  })
}

function writableSink () {
  const out = sink()
  return new Writable({ decodeStrings: false, write (chunk, _encoding, callback) { out.write(chunk); callback() } })
}

export function bunyanLogger () {
  const logger = bunyan.createLogger({ name: 'bench', streams: [{ level: 'info', stream: sink() }] })
  logger.fields.pid = base.pid
  logger.fields.hostname = base.hostname
  return logger
}

let logtapeConfigured = false
/** LogTape is configured once per process (its configuration is global). */
export function logtapeLogger () {
  if (!logtapeConfigured) {
    const out = sink()
    configureSync({
      sinks: { ndjson: (record) => { out.write(jsonLinesFormatter(record)) } },
      loggers: [
        { category: ['bench'], lowestLevel: 'info', sinks: ['ndjson'] },
        { category: ['logtape', 'meta'], lowestLevel: 'error', sinks: [] }
      ]
    })
    logtapeConfigured = true
  }
  return getLogger(['bench'])
}

/** The isolated peers (bench/peers/), set by run.js through useIsolatedPeers. */
let isolated = { modules: {}, unavailable: { evlog: 'bench/peers/ not loaded (bench/run.js loads it, installing it on demand)' } }
export function useIsolatedPeers (loaded) { isolated = loaded }

/**
 * evlog, configured for one scenario: `initLogger` is process-wide (the last
 * call wins), so each scenario's factory configures it again, and a scenario
 * holds one evlog contender at most. Output: evlog's documented route for a
 * destination of one's own, `silent: true` (no console) with a `drain`
 * writing each wide event as one JSON line (JSON.stringify, as its console
 * output does) to the same sync sonic-boom on /dev/null. evlog calls the
 * drain synchronously inside the log call; the promise it wraps the drain in
 * settles after the batch (untimed). `env` is fixed (service, environment),
 * as pid and hostname are for the others; redaction is off unless the
 * scenario asks for it (evlog turns it on by default in production).
 * Returns evlog's namespace, or `{ unavailable: reason }`.
 */
export function evlogLogger (config = {}) {
  const evlog = isolated.modules.evlog
  if (evlog === undefined) return { unavailable: isolated.unavailable.evlog ?? 'evlog is not in bench/peers/package.json' }
  const out = sink()
  evlog.initLogger({
    env: { service: 'bench', environment: 'production' },
    pretty: false,
    redact: false,
    minLevel: 'info',
    silent: true,
    drain: ({ event }) => { out.write(JSON.stringify(event) + '\n') },
    ...config
  })
  return evlog
}

let tracing
/**
 * OpenTelemetry as an application has it: the SDK's tracer provider and the
 * AsyncLocalStorage context manager, registered once, and one sampled span's
 * context to run calls in. `inSpan(fn)` runs `fn` with that span active.
 */
export function otelTracing () {
  if (tracing === undefined) {
    const api = require('@opentelemetry/api')
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')
    const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base')
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
    api.trace.setGlobalTracerProvider(new BasicTracerProvider())
    const span = api.trace.getTracer('bench').startSpan('request')
    const active = api.trace.setSpan(api.context.active(), span)
    tracing = { api, inSpan: (fn) => api.context.with(active, fn) }
  }
  return tracing
}

/**
 * What a pino user writes to get trace ids into records: a mixin reading the
 * active span (as @opentelemetry/instrumentation-pino does), which pino calls
 * and merges on every record.
 */
export function traceMixin () {
  const { api } = otelTracing()
  return () => {
    const span = api.trace.getSpanContext(api.context.active())
    return span === undefined ? {} : { trace_id: span.traceId, span_id: span.spanId, trace_flags: `0${span.traceFlags.toString(16)}` }
  }
}

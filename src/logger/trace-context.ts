import { createRequire } from 'node:module'
import type { WriteFn } from './log-method.js'

/** The few parts of `@opentelemetry/api` daslog reads. */
interface SpanContext {
  readonly traceId: string
  readonly spanId: string
  readonly traceFlags: number
}
interface OpenTelemetryApi {
  readonly context: { active (): unknown }
  readonly trace: { getSpanContext (context: unknown): SpanContext | undefined }
}

/** The trace id of no trace (a non-recording span that only carries "no span"). */
const invalidTraceId = '00000000000000000000000000000000'
/** `trace_flags` as two hex digits, as @opentelemetry/instrumentation-pino writes them ('01': sampled). */
const flagTexts = Array.from({ length: 256 }, (_, flags) => flags.toString(16).padStart(2, '0'))

let warned = false

/** `@opentelemetry/api` as daslog resolves it: an optional peer dependency, so normally the application's own copy. */
function requireApi (): OpenTelemetryApi {
  return createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryApi
}

/** The API `load` gives; undefined, with a warning once, when it cannot be loaded (not installed). */
function openTelemetryApi (load: () => OpenTelemetryApi): OpenTelemetryApi | undefined {
  try {
    return load()
  } catch (error) {
    if (!warned) {
      warned = true
      process.emitWarning(`daslog: traceContext is on but @opentelemetry/api could not be loaded (${(error as Error).message.split('\n')[0]}); records carry no trace ids. Install it beside daslog: npm install @opentelemetry/api`, { code: 'DASLOG_TRACE_CONTEXT' })
    }
    return undefined
  }
}

/**
 * The `traceContext: true` writers: each record written while an
 * OpenTelemetry span is active carries its `trace_id`, `span_id` and
 * `trace_flags` first (the call's own fields win). With no span active the
 * record goes on as it is: one context lookup, no allocation (a pino
 * mixin would allocate a merge on every call). Without `@opentelemetry/api`
 * the writers are returned unchanged. `load` is for tests.
 */
export function withTraceContext<L extends string> (writers: Record<L, WriteFn>, load: () => OpenTelemetryApi = requireApi): Record<L, WriteFn> {
  const api = openTelemetryApi(load)
  if (api === undefined) return writers
  const { context, trace } = api
  const traced = {} as Record<L, WriteFn>
  for (const level of Object.keys(writers) as L[]) {
    const write = writers[level]
    traced[level] = (target, obj, msg) => {
      const span = trace.getSpanContext(context.active())
      if (span === undefined || span.traceId === invalidTraceId) {
        write(target, obj, msg)
        return
      }
      const ids: Record<string, unknown> = { trace_id: span.traceId, span_id: span.spanId, trace_flags: flagTexts[span.traceFlags & 0xff] }
      write(target, obj === undefined || obj === null ? ids : Object.assign(ids, obj instanceof Error ? { err: obj } : obj), msg)
    }
  }
  return traced
}

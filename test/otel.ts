// OpenTelemetry spans for the tests, made by the SDK (sdk-trace-base, with the AsyncLocalStorage context manager) and
// registered through the copy of @opentelemetry/api that daslog itself resolves: its globals are what daslog reads.
import { createRequire } from 'node:module'
import type * as Api from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'

/** @opentelemetry/api as src/logger/trace-context.ts loads it. */
export const api = createRequire(new URL('../src/logger/trace-context.ts', import.meta.url))('@opentelemetry/api') as typeof Api

let tracer: Api.Tracer | undefined

/** A tracer of a registered SDK provider, with AsyncLocalStorage context propagation (registered once per process). */
export function sdkTracer (): Api.Tracer {
  if (tracer === undefined) {
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
    api.trace.setGlobalTracerProvider(new BasicTracerProvider())
    tracer = api.trace.getTracer('daslog-tests')
  }
  return tracer
}

/** Runs `fn` inside a new active span (ended after), giving it the span's ids as daslog writes them. */
export async function inSpan<T> (name: string, fn: (ids: { trace_id: string, span_id: string, trace_flags: string }) => Promise<T> | T): Promise<T> {
  return sdkTracer().startActiveSpan(name, async (span) => {
    try {
      const { traceId, spanId, traceFlags } = span.spanContext()
      return await fn({ trace_id: traceId, span_id: spanId, trace_flags: traceFlags.toString(16).padStart(2, '0') })
    } finally {
      span.end()
    }
  })
}

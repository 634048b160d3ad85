import { createTransport, type DaslogTransportStream } from './shared/runtime.js'
import { openOtlpDestination } from './otlp/destination.js'
import { otlpOptionsSpec, type OtlpOptions } from './otlp/options.js'

/**
 * The OpenTelemetry transport, loaded by pino as `daslog/transports/otlp`:
 * records become OTLP LogRecords (event_name = the DAS event name), POSTed
 * in batches to an OTLP/HTTP logs endpoint such as an OpenTelemetry
 * Collector, retried on 429/502/503/504, dead-lettered when they finally
 * fail or are rejected. Options: `{ url?, protocol?, headers?, resource?,
 * batch?, retry?, timeoutMs? }` (url, protocol, headers and resource also
 * from the OTEL_* environment variables) and the common `events`,
 * `deadLetter`, `queueSize`, `closeTimeoutMs`, `name`.
 */
export default function otlpTransport (options: unknown): Promise<DaslogTransportStream> {
  return createTransport({ ...otlpOptionsSpec, open: openOtlpDestination }, options)
}

export { otlpOptionsSpec }
export type { OtlpOptions }

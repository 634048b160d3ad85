import type { Agent } from 'node:http'
import type { CommonOptions } from '../shared/common-options.js'
import { endpointName, httpAgent, httpPost, type HttpAnswer } from '../shared/http-post.js'
import { DeliveryError, describeFailure, excerpt, retryAfterMs } from '../shared/retry.js'
import type { Destination, DeliveryNote, LogRecord } from '../shared/runtime.js'
import { anyValue, type KeyValue } from './any-value.js'
import { encodings, type OtlpEncoding } from './encoding.js'
import type { OtlpOptions } from './options.js'

/** The statuses OTLP/HTTP says to retry (with Retry-After when given); any other failure is final. */
const retryableStatuses = new Set([429, 502, 503, 504])
/** A partial success's error message may be long; the answer is kept whole up to this. */
const answerBytesKept = 64 * 1024

/**
 * POSTs batches of records to an OTLP/HTTP logs endpoint (an OpenTelemetry
 * Collector's `/v1/logs`) as ExportLogsServiceRequests, in protobuf or JSON.
 * 2xx delivers, except the records a partial success says were rejected
 * (dead-lettered, never retried: OTLP says a retry would be rejected again);
 * 429, 502, 503, 504 and network errors are retried, honouring Retry-After;
 * any other status dead-letters the batch.
 */
export function openOtlpDestination (options: OtlpOptions, _common: CommonOptions): Destination {
  const endpoint = endpointName(options.url)
  const agent: Agent = httpAgent(options.url, 1, true)
  const encoding = encodings[options.protocol]
  const resource: KeyValue[] = Object.entries(options.resource).map(([key, value]) => ({ key, value: anyValue(value) }))
  const headers: Record<string, string> = { 'content-type': encoding.contentType, 'user-agent': 'daslog', ...options.headers }
  // One body per batch, kept for its retries: the same observed time, the same bytes.
  const bodies = new WeakMap<readonly LogRecord[], Buffer>()

  const bodyOf = (records: readonly LogRecord[]): Buffer => {
    let body = bodies.get(records)
    if (body === undefined) {
      body = encoding.encode(resource, records)
      bodies.set(records, body)
    }
    return body
  }

  return {
    batchSize: options.batch.size,
    batchIntervalMs: options.batch.intervalMs,
    retry: options.retry,
    async deliver (records) {
      let answer: HttpAnswer
      try {
        answer = await httpPost(options.url, bodyOf(records), headers, agent, options.timeoutMs, answerBytesKept)
      } catch (error) {
        throw new DeliveryError(`${describeFailure(error)} (${endpoint})`, { retryable: true, cause: error })
      }
      if (answer.status >= 200 && answer.status < 300) return accepted(answer, records.length, encoding, endpoint)
      const wait = retryableStatuses.has(answer.status) ? retryAfterMs(answer.headers['retry-after']) : undefined
      throw new DeliveryError(describeAnswer(answer, encoding, endpoint), { retryable: retryableStatuses.has(answer.status), ...(wait === undefined ? {} : { retryAfterMs: wait }) })
    },
    close () {
      agent.destroy()
    }
  }
}

/**
 * A 2xx answer: everything delivered, or a partial success. Rejected records
 * are dead-lettered (thrown as a final failure with the rest delivered); OTLP
 * does not say which ones were rejected, so the batch's last ones stand for
 * them in the dead-letter file, which says so. A warning alone is a note.
 */
function accepted (answer: HttpAnswer, count: number, encoding: OtlpEncoding, endpoint: string): DeliveryNote | undefined {
  let partial
  try {
    partial = encoding.partialSuccess(answer.bytes)
  } catch (error) {
    return { problem: `${endpoint} answered HTTP ${answer.status} with a body that is not an OTLP ExportLogsServiceResponse (${describeFailure(error)}); the records count as delivered` }
  }
  if (partial === undefined) return undefined
  const said = partial.errorMessage === '' ? '' : `: ${excerpt(partial.errorMessage, 300)}`
  if (partial.rejected === 0) return { problem: `${endpoint} accepted every record with a warning${said}` }
  const rejected = Math.min(partial.rejected, count)
  const which = rejected === count ? '' : `; OTLP does not say which, so the batch's last ${rejected} are dead-lettered in their place`
  throw new DeliveryError(`${endpoint} rejected ${rejected} of ${count} records (OTLP partial success)${said}${which}`, { retryable: false, delivered: count - rejected })
}

/** `HTTP 400 Bad Request from http://host/v1/logs: <the error's message>`. */
function describeAnswer (answer: HttpAnswer, encoding: OtlpEncoding, endpoint: string): string {
  const text = `HTTP ${answer.status}${answer.statusText === '' ? '' : ' ' + answer.statusText} from ${endpoint}`
  const contentType = String(answer.headers['content-type'] ?? '')
  const message = contentType.includes('protobuf') || contentType.includes('json') ? encoding.errorMessage(answer.bytes) : excerpt(answer.body, 200)
  return message === undefined || message === '' ? text : `${text}: ${excerpt(message, 200)}`
}

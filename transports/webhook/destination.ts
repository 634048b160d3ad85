import type { Agent } from 'node:http'
import { escapeRawInJson } from '../shared/control-characters.js'
import type { CommonOptions } from '../shared/common-options.js'
import { CircuitBreaker } from '../shared/circuit-breaker.js'
import { endpointName, httpAgent, httpPost, type HttpAnswer } from '../shared/http-post.js'
import { DeliveryError, describeFailure, excerpt, retryAfterMs } from '../shared/retry.js'
import type { ConnectionReport, Destination, LogRecord } from '../shared/runtime.js'
import type { WebhookOptions } from './options.js'
import { payloadShaper } from './payload.js'
import { messageId, signature } from './signature.js'

/** A batch's request, made once and sent again as it is on every retry (only the timestamp and signature change). */
interface Message {
  readonly id: string
  readonly body: Buffer
}

/**
 * POSTs records as JSON: a batch as an array, or each record as an object
 * (`batch: false`), signed the Standard Webhooks way when keys are set.
 * 2xx delivers; 408, 429, 5xx and network errors are retried (Retry-After
 * honoured); 3xx (not followed) and other 4xx are not; 410 stops delivery to
 * the endpoint for good. Repeated failures open a circuit breaker.
 */
export function openWebhookDestination (options: WebhookOptions, common: CommonOptions): Destination {
  const endpoint = endpointName(options.url)
  const agent: Agent = httpAgent(options.url, options.concurrency, options.sslVerify)
  const breaker = options.circuitBreaker === false ? undefined : new CircuitBreaker(options.circuitBreaker)
  const shape = payloadShaper(options.extraArgs, options.flattenPayload)
  const messages = new WeakMap<readonly LogRecord[], Message>()
  const baseHeaders: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'daslog', ...options.headers }
  let gone: string | undefined

  if (!options.sslVerify) {
    process.emitWarning(`${common.name}: sslVerify is false, so the endpoint's TLS certificate is not checked; anyone on the path can read and change the records`, { code: 'DASLOG_TLS_UNVERIFIED' })
  }

  const messageOf = (records: readonly LogRecord[]): Message => {
    let message = messages.get(records)
    if (message === undefined) {
      const json = escapeRawInJson(options.batch === false && records.length === 1 ? JSON.stringify(shape(records[0]!)) : JSON.stringify(records.map(shape)))
      message = { id: messageId(), body: Buffer.from(json) }
      messages.set(records, message)
    }
    return message
  }

  const headersFor = (message: Message): Record<string, string> => {
    if (options.signingKeys.length === 0) return baseHeaders
    const timestamp = Math.floor(Date.now() / 1000)
    return {
      ...baseHeaders,
      'webhook-id': message.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature(options.signingKeys, message.id, timestamp, message.body)
    }
  }

  const outcome = (answer: HttpAnswer): void => {
    const { status } = answer
    if (status >= 200 && status < 300) {
      breaker?.succeeded()
      return
    }
    const failure = describeAnswer(answer, endpoint)
    if (status === 410) {
      breaker?.settled()
      gone = `${failure}; delivery to this endpoint stopped`
      throw new DeliveryError(gone, { retryable: false })
    }
    const retryable = status === 408 || status === 429 || status >= 500
    if (status === 408 || status >= 500) breaker?.failed(failure)
    else breaker?.settled()
    const wait = retryable ? retryAfterMs(answer.headers['retry-after']) : undefined
    throw new DeliveryError(failure, { retryable, ...(wait === undefined ? {} : { retryAfterMs: wait }) })
  }

  return {
    batchSize: options.batch === false ? 1 : options.batch.size,
    batchIntervalMs: options.batch === false ? 0 : options.batch.intervalMs,
    concurrency: options.concurrency,
    retry: options.retry,
    // The circuit is the connection: closed is up (so up until the endpoint fails), open is down.
    ...(breaker === undefined
      ? {}
      : {
          watchConnection (report: ConnectionReport) {
            breaker.onChange = (closed, lastFailure) => { report(closed, `circuit open: ${lastFailure}`) }
            report(true)
          }
        }),
    async deliver (records) {
      if (gone !== undefined) throw new DeliveryError(gone, { retryable: false })
      const refusal = breaker?.refusal()
      if (refusal !== undefined) throw refusal
      const message = messageOf(records)
      let answer: HttpAnswer
      try {
        answer = await httpPost(options.url, message.body, headersFor(message), agent, options.timeoutMs)
      } catch (error) {
        const failure = `${describeFailure(error)} (${endpoint})`
        breaker?.failed(failure)
        throw new DeliveryError(failure, { retryable: true, cause: error })
      }
      outcome(answer)
    },
    close () {
      agent.destroy()
    }
  }
}

/** `HTTP 503 Service Unavailable from https://host/path: <start of the body>`; a redirect names where it pointed. */
function describeAnswer (answer: HttpAnswer, endpoint: string): string {
  let text = `HTTP ${answer.status}${answer.statusText === '' ? '' : ' ' + answer.statusText} from ${endpoint}`
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.location
    return `${text}: redirects are not followed${location === undefined ? '' : ` (Location: ${location})`}`
  }
  const body = excerpt(answer.body, 200)
  if (body !== '') text += `: ${body}`
  return text
}

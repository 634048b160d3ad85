import type { CommonOptions } from '../shared/common-options.js'
import { httpAgent, httpPost, HttpRequestError, type HttpAnswer } from '../shared/http-post.js'
import { DeliveryError, describeFailure, excerpt, retryAfterMs } from '../shared/retry.js'
import type { DeliveryNote, Destination, LogRecord } from '../shared/runtime.js'
import { windowText } from '../shared/template.js'
import { bodyRenderer, summaryText } from './body.js'
import type { SmsOptions } from './options.js'
import { RecipientRateLimit } from './rate-limit.js'
import { smsSegments } from './segments.js'

/** Twilio error codes that mean "retry later". */
const retryableCodes = new Set([20429])

/**
 * Sends each record as an SMS to every configured recipient through the
 * Twilio Messages API (or any endpoint that speaks it). A recipient that got
 * the message is not sent it again when a retry is needed for another. 429
 * and 20429 are retried after Retry-After, 5xx and connection failures with
 * backoff; other errors (21211, 21610, 21614, 21617, ...) are final. A
 * request that was sent but got no answer is not re-sent: a duplicate SMS is
 * worse than a late one, so it is dead-lettered for a person to decide.
 */
export function openSmsDestination (options: SmsOptions, _common: CommonOptions): Destination {
  const agent = httpAgent(options.endpoint, 1, true)
  const headers = {
    authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': 'daslog'
  }
  const render = bodyRenderer(options.body)
  const limit = options.rateLimit === undefined ? undefined : new RecipientRateLimit(options.rateLimit.count, options.rateLimit.windowMs)
  /** Per message (keyed by the records a retry passes again): the recipients that have it, and the problems of those that will not. */
  const progress = new WeakMap<readonly LogRecord[], { sent: Set<string>, refused: string[], segments: number }>()

  const sendOne = async (to: string, body: string): Promise<number> => {
    const wait = limit?.waitMs(to) ?? 0
    if (wait > 0) {
      throw new DeliveryError(`rate limit for ${to}: ${options.rateLimit!.count} messages per ${windowText(options.rateLimit!.windowMs)}`, { retryable: true, attempted: false, retryAfterMs: wait })
    }
    const form = new URLSearchParams({ To: to, [options.sender.field]: options.sender.value, Body: body })
    let answer: HttpAnswer
    try {
      answer = await httpPost(options.endpoint, Buffer.from(form.toString()), headers, agent, options.timeoutMs)
    } catch (error) {
      const where = `${describeFailure(error)} (${options.endpoint.host}, to ${to})`
      if (error instanceof HttpRequestError && error.sent) {
        limit?.record(to)
        throw new DeliveryError(`${where}; the message may have been sent, so it is not sent again (a duplicate SMS is worse than a late one)`, { retryable: false, cause: error })
      }
      throw new DeliveryError(where, { retryable: true, cause: error })
    }
    limit?.record(to)
    if (answer.status >= 200 && answer.status < 300) return segmentsOf(answer, body)
    throw twilioFailure(answer, to)
  }

  const send = async (records: readonly LogRecord[], body: string): Promise<DeliveryNote> => {
    let state = progress.get(records)
    if (state === undefined) {
      state = { sent: new Set(), refused: [], segments: 0 }
      progress.set(records, state)
    }
    for (const to of options.to) {
      if (state.sent.has(to)) continue
      try {
        state.segments += await sendOne(to, body)
        state.sent.add(to)
      } catch (error) {
        if (!(error instanceof DeliveryError) || error.retryable || options.to.length === 1) throw withProgress(error, state.sent)
        // A number that will never take it: the others still get it; reported with the delivery.
        state.refused.push(error.message)
        state.sent.add(to)
      }
    }
    const reached = options.to.length - state.refused.length
    if (reached === 0) throw new DeliveryError(state.refused.join('; '), { retryable: false })
    return { segments: state.segments, problem: state.refused.length === 0 ? undefined : `${state.refused.join('; ')} (the other recipients got it)` }
  }

  return {
    batchSize: 1,
    concurrency: 1,
    countsSegments: true,
    retry: options.retry,
    ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
    deliver: (records) => send(records, render(records[0]!)),
    deliverDigest: ({ records }) => send(records, summaryText(records, options.throttle?.windowMs ?? 0)),
    close () {
      agent.destroy()
    }
  }
}

/** The segments Twilio counted (`num_segments`), or our own count of the body. */
function segmentsOf (answer: HttpAnswer, body: string): number {
  try {
    const counted = Number((JSON.parse(answer.body) as { num_segments?: unknown }).num_segments)
    if (Number.isInteger(counted) && counted > 0) return counted
  } catch {}
  return smsSegments(body).segments
}

/** A Twilio error answer, `{ code, message, more_info, status }`, as a DeliveryError: 429/20429 and 5xx retried, the rest final. */
function twilioFailure (answer: HttpAnswer, to: string): DeliveryError {
  let code: number | undefined
  let message = excerpt(answer.body, 200)
  try {
    const error = JSON.parse(answer.body) as { code?: unknown, message?: unknown }
    if (typeof error.code === 'number') code = error.code
    if (typeof error.message === 'string') message = error.message
  } catch {}
  const what = `${code === undefined ? '' : `Twilio error ${code} `}(HTTP ${answer.status}) for ${to}${message === '' ? '' : `: ${message}`}`
  const retryable = answer.status === 429 || answer.status >= 500 || (code !== undefined && retryableCodes.has(code))
  const wait = retryable ? retryAfterMs(answer.headers['retry-after']) : undefined
  return new DeliveryError(what, { retryable, ...(wait === undefined ? {} : { retryAfterMs: wait }) })
}

/** A failure that comes after some recipients got the message says so (a replay would send it to them again). */
function withProgress (error: unknown, sent: ReadonlySet<string>): unknown {
  if (sent.size === 0 || !(error instanceof DeliveryError)) return error
  const note = ` (already sent to ${[...sent].join(', ')})`
  return new DeliveryError(error.message + note, {
    retryable: error.retryable,
    attempted: error.attempted,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    cause: error.cause
  })
}

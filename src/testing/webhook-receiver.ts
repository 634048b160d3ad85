import { timingSafeEqual } from 'node:crypto'
import { isObject } from '../config/option-checks.js'
import { signature, signingKey } from '../../transports/webhook/signature.js'
import { chosenAnswer, startLocalServer, waitForCount, type Answer, type Answers, type ListenOptions, type Load, type ReceivedRequest } from './local-server.js'

export interface WebhookReceiverOptions extends ListenOptions {
  /**
   * The webhook transport's `signingSecret` (`whsec_...`; a list while keys
   * rotate). When given, a request is accepted only with a valid Standard
   * Webhooks signature whose timestamp is within 5 minutes; any other is
   * answered 401 and kept in `refused`.
   */
  readonly signingSecret?: string | readonly string[]
  /**
   * Answers of your choosing, before the receiver's own: a list for the
   * first requests (`[{ status: 503, headers: { 'retry-after': '0' } }]`
   * watches daslog retry once), or a function of the request and its number.
   * A 2xx you choose still delivers the request; any other status refuses it.
   */
  readonly answers?: Answers<ReceivedRequest>
}

/** One message the receiver accepted: its records (a batch's array, or the one record sent). */
export interface WebhookDelivery {
  /** The `webhook-id` header (the same on every retry of a message); '' when the request had none. */
  readonly id: string
  /** The `webhook-signature` header it verified (`v1,<base64>`); '' without a signing secret. */
  readonly signature: string
  readonly records: ReadonlyArray<Record<string, unknown>>
}

/** A request the receiver answered with an error, and why. */
export interface Refusal {
  readonly status: number
  readonly reason: string
}

export interface WebhookReceiver {
  /** The URL to give the webhook transport (`http://127.0.0.1:<port>/webhook`). */
  readonly url: string
  readonly port: number
  /** Every request, in the order it arrived, retries and refused ones included. */
  readonly requests: readonly ReceivedRequest[]
  /** The messages accepted, each `webhook-id` once (a retry of a message that got through is acknowledged, not kept again). */
  readonly deliveries: readonly WebhookDelivery[]
  /** The records of every delivery, in order: what the endpoint received, once each. */
  readonly records: ReadonlyArray<Record<string, unknown>>
  readonly refused: readonly Refusal[]
  /** Requests being answered now, and the most at once (to check `concurrency`). */
  readonly load: Load
  /** Resolves once `count` requests arrived (retries and refusals count); rejects after `timeoutMs` (10 s). */
  waitFor (count: number, timeoutMs?: number): Promise<void>
  close (): Promise<void>
}

/** How far a signature's timestamp may be from now, as Standard Webhooks receivers allow. */
const toleranceSeconds = 5 * 60

/**
 * A webhook endpoint on 127.0.0.1 for tests and local runs: it keeps what
 * daslog's webhook transport sends, checks the Standard Webhooks signature
 * when given the secret, drops retried duplicates by `webhook-id`, and
 * answers 204 (or what `answers` says).
 */
export async function startWebhookReceiver (options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const secrets = options.signingSecret === undefined ? [] : typeof options.signingSecret === 'string' ? [options.signingSecret] : options.signingSecret
  const keys = secrets.map((secret) => signingKey('signingSecret', secret))
  const deliveries: WebhookDelivery[] = []
  const records: Array<Record<string, unknown>> = []
  const refused: Refusal[] = []
  const seen = new Set<string>()
  const refuse = (status: number, reason: string): Answer => {
    refused.push({ status, reason })
    return { status }
  }
  const server = await startLocalServer((request, n) => {
    const chosen = chosenAnswer(options.answers, request, n)
    if (chosen === 'hang') return chosen
    if (chosen !== undefined && (chosen.status < 200 || chosen.status > 299)) {
      refused.push({ status: chosen.status, reason: 'failing on purpose' })
      return chosen
    }
    const problem = keys.length === 0 ? undefined : signatureProblem(keys, request)
    if (problem !== undefined) return refuse(401, problem)
    let body: unknown
    try {
      body = JSON.parse(request.body)
    } catch {
      return refuse(400, 'the body is not JSON')
    }
    const sent = Array.isArray(body) ? body as unknown[] : [body]
    if (!sent.every(isObject)) return refuse(400, 'the body is not a JSON object or an array of them')
    const id = header(request, 'webhook-id')
    if (id === '' || !seen.has(id)) {
      seen.add(id)
      deliveries.push({ id, signature: header(request, 'webhook-signature'), records: sent })
      records.push(...sent)
    }
    return chosen ?? { status: 204 }
  }, options)
  return {
    url: `${server.origin}/webhook`,
    port: server.port,
    requests: server.requests,
    deliveries,
    records,
    refused,
    load: server.load,
    waitFor: (count, timeoutMs) => waitForCount(() => server.requests.length, count, 'requests', timeoutMs),
    close: () => server.close()
  }
}

/** Why a request's Standard Webhooks signature does not verify; undefined when it does. */
function signatureProblem (keys: readonly Buffer[], request: ReceivedRequest): string | undefined {
  const id = header(request, 'webhook-id')
  const timestamp = Number(header(request, 'webhook-timestamp'))
  const given = header(request, 'webhook-signature').split(' ').filter((part) => part.startsWith('v1,'))
  if (id === '' || given.length === 0 || !Number.isInteger(timestamp)) return 'missing webhook-id, webhook-timestamp or webhook-signature header'
  if (Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return `the timestamp ${timestamp} is more than ${toleranceSeconds} s away`
  const body = Buffer.from(request.body, 'utf8')
  for (const key of keys) {
    const expected = Buffer.from(signature([key], id, timestamp, body))
    if (given.some((part) => part.length === expected.length && timingSafeEqual(Buffer.from(part), expected))) return undefined
  }
  return 'no signature matches'
}

function header (request: ReceivedRequest, name: string): string {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(', ') : value ?? ''
}

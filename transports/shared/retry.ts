/** How often and how patiently a transport retries a failed delivery. */
export interface RetryPolicy {
  /** Every try counts, the first included. */
  readonly attempts: number
  readonly minDelayMs: number
  readonly maxDelayMs: number
}

/**
 * The wait before try `attempt + 1` after try `attempt` failed: exponential
 * from `minDelayMs`, capped at `maxDelayMs`, with "equal jitter" (half fixed,
 * half random) so retrying senders spread out but never retry at once.
 */
export function backoffDelay (policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(exponential / 2 + random() * exponential / 2)
}

/**
 * Why a delivery failed, as a destination reports it: `retryable: false`
 * sends the records straight to the dead-letter file; `retryAfterMs` (an
 * HTTP Retry-After) replaces the backoff delay; `delivered` says how many
 * records at the front of the batch did get through (only the rest is retried),
 * or `undelivered` which of its records did not, in any order (an AMQP
 * publisher's confirms fail one by one): only those are retried;
 * `attempted: false` says the destination did not even try (its circuit is
 * open): the wait costs no attempt.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError'
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  readonly delivered: number
  readonly undelivered: readonly Record<string, unknown>[] | undefined
  readonly attempted: boolean

  constructor (message: string, options: { retryable: boolean, retryAfterMs?: number, delivered?: number, undelivered?: readonly Record<string, unknown>[], attempted?: boolean, cause?: unknown }) {
    super(message, { cause: options.cause })
    this.retryable = options.retryable
    this.retryAfterMs = options.retryAfterMs
    this.delivered = options.delivered ?? 0
    this.undelivered = options.undelivered
    this.attempted = options.attempted ?? true
  }
}

/** One line of text for a failure, as dead letters and failure events carry it. */
export function describeFailure (error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === undefined || error.message.includes(code) ? `${error.name}: ${error.message}` : `${error.name} ${code}: ${error.message}`
  }
  return String(error)
}

/** A server's answer as a failure quotes it: one line, at most `max` characters. */
export function excerpt (text: string, max: number): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max)
}

/** The longest Retry-After honoured: a timer cannot wait much longer, and a day is beyond any close deadline. */
const maxRetryAfterMs = 24 * 3_600_000

/**
 * An HTTP `Retry-After` value (delay in seconds, or an HTTP date) in ms from
 * `now`; undefined when absent or unreadable. Capped at a day.
 */
export function retryAfterMs (value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (text === undefined || text === '') return undefined
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now
  if (Number.isNaN(ms)) return undefined
  return Math.min(Math.max(0, ms), maxRetryAfterMs)
}

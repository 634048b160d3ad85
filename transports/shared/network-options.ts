import { ConfigError } from '../../src/errors.js'
import { integerFieldsOption, integerOption } from '../../src/config/option-checks.js'
import type { RetryPolicy } from './retry.js'

/** The options the network transports (webhook, email, sms) share. */
export const networkOptionNames = ['retry', 'timeoutMs'] as const

export interface NetworkOptions {
  readonly retry: RetryPolicy
  /** One request (connect, send, answer) may take this long before it counts as failed. */
  readonly timeoutMs: number
}

export const defaultRetry: RetryPolicy = { attempts: 5, minDelayMs: 500, maxDelayMs: 30_000 }
export const defaultTimeoutMs = 10_000
const hourMs = 3_600_000

/** `retry: { attempts, minDelayMs, maxDelayMs }`, each defaulted on its own. */
export function retryOption (value: unknown): RetryPolicy {
  if (value === undefined) return defaultRetry
  const retry = integerFieldsOption('retry', value, {
    attempts: { fallback: defaultRetry.attempts, min: 1, max: 100 },
    minDelayMs: { fallback: defaultRetry.minDelayMs, min: 0, max: hourMs },
    maxDelayMs: { fallback: defaultRetry.maxDelayMs, min: 0, max: hourMs }
  })
  // The default maximum grows to a larger minimum; a maximum given below the minimum is a mistake.
  if ((value as { maxDelayMs?: unknown }).maxDelayMs === undefined) retry.maxDelayMs = Math.max(retry.maxDelayMs, retry.minDelayMs)
  if (retry.maxDelayMs < retry.minDelayMs) throw new ConfigError('retry.maxDelayMs', `must not be less than retry.minDelayMs (${retry.minDelayMs}), got ${retry.maxDelayMs}`)
  return retry
}

export function networkOptions (options: Record<string, unknown>): NetworkOptions {
  return {
    retry: retryOption(options.retry),
    timeoutMs: options.timeoutMs === undefined ? defaultTimeoutMs : integerOption('timeoutMs', options.timeoutMs, 1, 10 * 60_000)
  }
}

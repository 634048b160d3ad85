import { ConfigError } from '../../src/errors.js'
import { integerOption, optionObject } from '../../src/config/option-checks.js'
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
  const retry = optionObject('retry', value, ['attempts', 'minDelayMs', 'maxDelayMs'])
  const attempts = retry.attempts === undefined ? defaultRetry.attempts : integerOption('retry.attempts', retry.attempts, 1, 100)
  const minDelayMs = retry.minDelayMs === undefined ? defaultRetry.minDelayMs : integerOption('retry.minDelayMs', retry.minDelayMs, 0, hourMs)
  const maxDelayMs = retry.maxDelayMs === undefined ? Math.max(defaultRetry.maxDelayMs, minDelayMs) : integerOption('retry.maxDelayMs', retry.maxDelayMs, 0, hourMs)
  if (maxDelayMs < minDelayMs) throw new ConfigError('retry.maxDelayMs', `must not be less than retry.minDelayMs (${minDelayMs}), got ${maxDelayMs}`)
  return { attempts, minDelayMs, maxDelayMs }
}

export function networkOptions (options: Record<string, unknown>): NetworkOptions {
  return {
    retry: retryOption(options.retry),
    timeoutMs: options.timeoutMs === undefined ? defaultTimeoutMs : integerOption('timeoutMs', options.timeoutMs, 1, 10 * 60_000)
  }
}

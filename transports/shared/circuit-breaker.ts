import { DeliveryError } from './retry.js'

export interface CircuitBreakerOptions {
  /** Consecutive failed requests that open the circuit. */
  readonly failures: number
  /** How long an open circuit sends nothing before one probe request may go. */
  readonly cooldownMs: number
}

/** While a probe is out, other batches look again this often. */
const probeWaitMs = 250

/**
 * Stops hammering an endpoint that keeps failing: after `failures`
 * consecutive failed requests nothing is sent for `cooldownMs`; then a single
 * probe goes, and its outcome closes the circuit or opens it again. Batches
 * turned away meanwhile wait without spending a retry attempt (the
 * DeliveryError says `attempted: false`), in the bounded queue, and what is
 * left at close is dead-lettered with the last failure.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0
  private openUntil = 0
  private probing = false
  private lastFailure = ''

  /** Told when the circuit opens (`false`, with the last failure) and when it closes again (`true`). */
  onChange: ((closed: boolean, lastFailure: string) => void) | undefined

  constructor (private readonly options: CircuitBreakerOptions, private readonly now: () => number = Date.now) {}

  /** Open: requests are turned away (or one probe is out). */
  get isOpen (): boolean {
    return this.consecutiveFailures >= this.options.failures
  }

  /** Undefined when a request may go now; else the error that turns it away. */
  refusal (): DeliveryError | undefined {
    if (this.consecutiveFailures < this.options.failures) return undefined
    const now = this.now()
    const why = `circuit open after ${this.consecutiveFailures} consecutive failures (last: ${this.lastFailure})`
    if (now < this.openUntil) return new DeliveryError(why, { retryable: true, attempted: false, retryAfterMs: this.openUntil - now })
    if (this.probing) return new DeliveryError(why, { retryable: true, attempted: false, retryAfterMs: probeWaitMs })
    this.probing = true
    return undefined
  }

  succeeded (): void {
    const wasOpen = this.isOpen
    this.consecutiveFailures = 0
    this.probing = false
    if (wasOpen) this.onChange?.(true, this.lastFailure)
  }

  failed (failure: string): void {
    const wasOpen = this.isOpen
    this.lastFailure = failure
    this.consecutiveFailures++
    if (this.probing || this.consecutiveFailures >= this.options.failures) this.openUntil = this.now() + this.options.cooldownMs
    this.probing = false
    if (!wasOpen && this.isOpen) this.onChange?.(false, failure)
  }

  /** Requests that ended without a verdict on the endpoint's health (a 4xx) release a probe all the same. */
  settled (): void {
    this.probing = false
  }
}

import { createTransport, type DaslogTransportStream } from './shared/runtime.js'
import { openWebhookDestination } from './webhook/destination.js'
import { webhookOptionsSpec, type WebhookOptions } from './webhook/options.js'

/**
 * The webhook transport, loaded by pino as `daslog/transports/webhook`:
 * records are POSTed as JSON (batches as arrays), signed the Standard
 * Webhooks way, retried with backoff, dead-lettered when they finally fail.
 * Options: `{ url, headers?, extraArgs?, sslVerify?, flattenPayload?, batch?,
 * signingSecret?, concurrency?, circuitBreaker?, retry?, timeoutMs? }` and the
 * common `events`, `deadLetter`, `queueSize`, `closeTimeoutMs`, `name`.
 */
export default function webhookTransport (options: unknown): Promise<DaslogTransportStream> {
  return createTransport({ ...webhookOptionsSpec, open: openWebhookDestination }, options)
}

export { webhookOptionsSpec }
export type { WebhookOptions }

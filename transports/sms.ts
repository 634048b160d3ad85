import { createTransport, type DaslogTransportStream } from './shared/runtime.js'
import { openSmsDestination } from './sms/destination.js'
import { smsOptionsSpec, type SmsOptions } from './sms/options.js'

/**
 * The sms transport, loaded by pino as `daslog/transports/sms`: each record
 * an SMS through the Twilio Messages API (or a compatible endpoint), bodies
 * cleaned and cut to 1600 characters, storms throttled into one summary,
 * a rate limit per recipient, never a blind re-send.
 * Options: `{ accountSid, authToken | apiKey, from | messagingServiceSid, to,
 * body?, baseUrl?, throttle?, rateLimit?, retry?, timeoutMs? }` and the common
 * `events`, `deadLetter`, `queueSize`, `closeTimeoutMs`, `name`.
 */
export default function smsTransport (options: unknown): Promise<DaslogTransportStream> {
  return createTransport({ ...smsOptionsSpec, open: openSmsDestination }, options)
}

export { smsOptionsSpec }
export type { SmsOptions }

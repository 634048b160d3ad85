import { createTransport, type DaslogTransportStream } from './shared/runtime.js'
import { openEmailDestination } from './email/destination.js'
import { emailOptionsSpec, type EmailOptions } from './email/options.js'

/**
 * The email transport, loaded by pino as `daslog/transports/email`: one mail
 * per record over SMTP (nodemailer), rendered from templates, to the
 * configured recipients only; alert storms throttled into digests.
 * Options: `{ smtp, from, to, cc?, bcc?, subject?, text?, html?, templates?,
 * throttle?, retry?, timeoutMs? }` and the common `events`, `deadLetter`,
 * `queueSize`, `closeTimeoutMs`, `name`.
 */
export default function emailTransport (options: unknown): Promise<DaslogTransportStream> {
  return createTransport({ ...emailOptionsSpec, open: openEmailDestination }, options)
}

export { emailOptionsSpec }
export type { EmailOptions }

import type { EventFieldMap } from './catalog/types.js'
import type { EventFields as DefaultEventFields } from './catalog/default-catalog.gen.js'
import { createLogger } from './logger/create-logger.js'
import type { Logger, LoggerOptions } from './logger/types.js'

export { startWebhookReceiver } from './testing/webhook-receiver.js'
export type { Refusal, WebhookDelivery, WebhookReceiver, WebhookReceiverOptions } from './testing/webhook-receiver.js'
export { startSmtpInbox } from './testing/smtp-inbox.js'
export type { InboxMail, SmtpAnswer, SmtpInbox, SmtpInboxOptions, SmtpRefusal } from './testing/smtp-inbox.js'
export { startSmsEndpoint, twilioError } from './testing/sms-endpoint.js'
export type { SmsEndpoint, SmsEndpointOptions, SmsMessage } from './testing/sms-endpoint.js'
export type { Answer, Answers, ListenOptions, Load, ReceivedRequest } from './testing/local-server.js'
import { withoutViewerMessage } from '../transports/shared/viewer-message.js'

export interface TestLogger<F extends EventFieldMap = DefaultEventFields> {
  readonly logger: Logger<F>
  /** Every record written so far, parsed; filled synchronously as each is written. */
  readonly records: Array<Record<string, unknown>>
  /** Empties `records` in place (the same array stays referenced). */
  clear (): void
}

/**
 * A logger that keeps its parsed records in memory, for tests. No config
 * file is loaded unless `options.config` names one; the level defaults to
 * `trace` so nothing is filtered unless asked; `validate` defaults to
 * `strict`, so a record of an event outside the catalog, or missing a
 * required field, carries `schema_errors`; `pretty` is always off.
 */
export function createTestLogger<F extends EventFieldMap = DefaultEventFields> (options: LoggerOptions<F> = {}): TestLogger<F> {
  const records: Array<Record<string, unknown>> = []
  // pino writes one line per call through `write`; parse it there, synchronously.
  const destination = {
    write (line: string): void {
      for (const part of line.split('\n')) {
        if (part !== '') records.push(withoutViewerMessage(JSON.parse(part) as Record<string, unknown>))
      }
    }
  }
  // Records are parsed JSON, so `pretty` (from the options or a config file) is turned off.
  const logger = createLogger<F>({ level: 'trace', config: false, validate: 'strict', ...options, pretty: false }, destination)
  return {
    logger,
    records,
    clear () {
      records.length = 0
    }
  }
}

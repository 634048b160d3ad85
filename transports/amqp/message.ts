import type { Envelope } from 'rabbitmq-client'
import type { LogRecord } from '../shared/transport-types.js'

export interface MessageSettings {
  readonly exchange: string
  readonly persistent: boolean
  readonly routingKey: (event: string) => string
}

/**
 * A record as an AMQP message: its JSON for the body, and the properties
 * consumers route and filter on without parsing it: `messageId` = event_id,
 * `type` = event, `timestamp` (seconds, as AMQP counts them), headers
 * `level` and `correlation_id`. `mandatory` makes an unroutable message come back.
 */
export function messageOf (record: LogRecord, settings: MessageSettings): { envelope: Envelope, body: Buffer } {
  const event = typeof record.event === 'string' ? record.event : ''
  const time = typeof record.time === 'number' ? record.time : Date.now()
  const headers: Record<string, unknown> = {}
  if (record.level !== undefined) headers.level = record.level
  if (record.correlation_id !== undefined) headers.correlation_id = typeof record.correlation_id === 'string' ? record.correlation_id : JSON.stringify(record.correlation_id)
  return {
    envelope: {
      exchange: settings.exchange,
      routingKey: settings.routingKey(event),
      mandatory: true,
      durable: settings.persistent,
      contentType: 'application/json',
      messageId: record.event_id as string,
      type: event,
      timestamp: Math.floor(time / 1000),
      headers
    },
    body: Buffer.from(JSON.stringify(record))
  }
}

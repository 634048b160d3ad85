import { createTransport, type DaslogTransportStream } from './shared/runtime.js'
import { openAmqpDestination } from './amqp/destination.js'
import { amqpOptionsSpec, type AmqpOptions } from './amqp/options.js'

/**
 * The RabbitMQ transport, loaded by pino as `daslog/transports/amqp`: each
 * record becomes a persistent JSON message on a topic exchange (`daslog`),
 * routed by `domain.action.status`, counted delivered only once the broker
 * confirmed it (publisher confirms, `mandatory`: a returned message is
 * retried, then dead-lettered). Options: `{ url?, exchange?, routingKey?,
 * routingKeys?, queue?, persistent?, batch?, concurrency?, retry?,
 * timeoutMs? }` and the common `events`, `deadLetter`, `queueSize`,
 * `closeTimeoutMs`, `name`.
 */
export default function amqpTransport (options: unknown): Promise<DaslogTransportStream> {
  return createTransport({ ...amqpOptionsSpec, open: openAmqpDestination }, options)
}

export { amqpOptionsSpec }
export type { AmqpOptions }

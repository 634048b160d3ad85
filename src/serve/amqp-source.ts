import { consumeIntoStore } from './amqp-consumer.js'
import type { IngestSource } from './server.js'

/** `--amqp url --queue q`: the queue consumed into the store, acked once stored; /healthz says 503 while the broker is away. */
export const amqpSource: IngestSource = async (sink, options) => {
  const consumer = consumeIntoStore(sink, options.amqp!)
  return {
    close: () => consumer.close(),
    down: () => {
      const { connected, lastError } = consumer.stats()
      return connected ? undefined : `the broker is unreachable or the queue is not consumed yet${lastError === '' ? '' : ` (${lastError})`}`
    }
  }
}

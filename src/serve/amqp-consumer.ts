import { ConsumerStatus, type AsyncMessage, type Consumer } from 'rabbitmq-client'
import { ConfigError } from '../errors.js'
import { integerOption, isObject, optionObject, stringOption, urlOption } from '../config/option-checks.js'
import { wordsPattern } from '../catalog/vocabulary.js'
import type { Store } from '../store/store.js'
import type { StoredEvent } from '../store/rows.js'
import { uuidPattern } from '../../transports/shared/event-id.js'
import { describeFailure } from '../../transports/shared/retry.js'
import { BrokerLink } from '../../transports/amqp/connection.js'

export interface AmqpConsumerOptions {
  /** The broker, `amqp://user:password@host:port/vhost`. */
  readonly url: string
  /** The queue to consume; it must exist (the amqp transport's `queue` option declares one, bound to its exchange). */
  readonly queue: string
  /** Messages the broker hands this consumer before it acks any (default 500); they are stored in batches of up to this many. */
  readonly prefetch?: number
}

export interface AmqpConsumerStats {
  /** Connected to the broker and consuming: the connection status to report (health, metrics). */
  readonly connected: boolean
  /** Messages taken off the queue (redeliveries included). */
  readonly received: number
  /** Rows written, and messages whose event_id was stored already (a redelivery): both acked. */
  readonly stored: number
  readonly duplicates: number
  /** Messages that were not a record: rejected (to the queue's dead-letter exchange, if it has one). */
  readonly rejected: number
  /** Inserts that failed and were tried again (the messages stay unacked meanwhile). */
  readonly insertRetries: number
  /** The last failure: of the connection, the consumer, or an insert. */
  readonly lastError: string
}

export interface AmqpConsumer {
  stats (): AmqpConsumerStats
  /** Stops taking messages, finishes the inserts in hand (their messages acked), and closes the connection. */
  close (): Promise<void>
}

export const defaultPrefetch = 500
const insertRetryMaxMs = 5_000

/** A message's record: its JSON body, an object with an `event` name and an `event_id` (or the message's messageId); undefined when it is not one. */
export function recordOf (message: Pick<AsyncMessage, 'body' | 'messageId'>): StoredEvent | undefined {
  let body: unknown = message.body
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      body = JSON.parse(body.toString())
    } catch {
      return undefined
    }
  }
  if (!isObject(body) || typeof body.event !== 'string' || !wordsPattern.test(body.event)) return undefined
  const id = body.event_id ?? message.messageId
  if (typeof id !== 'string' || !uuidPattern.test(id)) return undefined
  return body.event_id === id ? body : { ...body, event_id: id }
}

function checkedOptions (options: AmqpConsumerOptions): { url: URL, queue: string, prefetch: number } {
  const given = optionObject('options', options, ['url', 'queue', 'prefetch'])
  if (given.queue === undefined) throw new ConfigError('queue', 'the queue to consume is required')
  const queue = stringOption('queue', given.queue)
  if (queue === '') throw new ConfigError('queue', 'expected a queue name, got ""')
  return {
    url: urlOption('url', given.url, ['amqp:', 'amqps:']),
    queue,
    prefetch: given.prefetch === undefined ? defaultPrefetch : integerOption('prefetch', given.prefetch, 1, 65_535)
  }
}

/**
 * Consumes a RabbitMQ queue into the audit store (what `daslog serve --amqp
 * url --queue q [--prefetch n]` runs beside its HTTP API). Messages are
 * stored in batches and acked only after their insert committed: a crash
 * before that redelivers them, and the store's event_id key keeps each
 * record once, so the table holds every record exactly once. A message that
 * is not a record is rejected without requeue (to the queue's dead-letter
 * exchange when it has one) and counted, never acked as stored. An insert
 * that fails is tried again with backoff while its messages stay unacked.
 * Several consumers on one queue share the work (the broker's competing
 * consumers). Options are checked at once (a ConfigError names the bad one);
 * the broker may be away: the consumer connects, and reconnects, by itself.
 */
export function consumeIntoStore (store: Pick<Store, 'insert'>, options: AmqpConsumerOptions): AmqpConsumer {
  const { url, queue, prefetch } = checkedOptions(options)
  const link = new BrokerLink(url, { name: `daslog serve ${queue}`, reconnectMaxMs: 5_000, timeoutMs: 10_000 })
  const counts = { received: 0, stored: 0, duplicates: 0, rejected: 0, insertRetries: 0 }
  let consuming = false
  let closing = false
  let batch: { records: StoredEvent[], done: Promise<void> } | undefined
  const retryWakers = new Set<() => void>()

  const insertWithRetries = async (records: StoredEvent[]): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const { inserted, duplicates } = await store.insert(records)
        counts.stored += inserted
        counts.duplicates += duplicates
        return
      } catch (error) {
        link.lastError = `inserting ${records.length} records failed: ${describeFailure(error)}`
        // Closing: the messages go back to the queue unacked (the channel closes), for another consumer or the next start.
        if (closing) throw error
        counts.insertRetries++
        await new Promise<void>((resolve) => {
          const wake = (): void => { clearTimeout(timer); retryWakers.delete(wake); resolve() }
          const timer = setTimeout(wake, Math.min(insertRetryMaxMs, 100 * 2 ** attempt))
          retryWakers.add(wake)
        })
      }
    }
  }

  /** The records of the messages handed over in one turn go into one insert; each handler resolves (its message acked) once it committed. */
  const stored = (record: StoredEvent): Promise<void> => {
    if (batch === undefined || batch.records.length >= prefetch) {
      const records: StoredEvent[] = []
      const done = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        if (batch?.records === records) batch = undefined
        await insertWithRetries(records)
      })
      batch = { records, done }
    }
    batch.records.push(record)
    return batch.done
  }

  const consumer: Consumer = link.connection.createConsumer({
    queue,
    queueOptions: { passive: true },
    qos: { prefetchCount: prefetch },
    concurrency: prefetch,
    requeue: true
  }, async (message) => {
    counts.received++
    const record = recordOf(message)
    if (record === undefined) {
      counts.rejected++
      return ConsumerStatus.DROP
    }
    await stored(record)
    return ConsumerStatus.ACK
  })
  consumer.on('ready', () => { consuming = true })
  consumer.on('error', (error: unknown) => {
    consuming = false
    link.lastError = describeFailure(error)
  })
  link.connection.on('error', () => { consuming = false })

  return {
    stats: () => ({ connected: link.ready && consuming, ...counts, lastError: link.lastError }),
    async close () {
      closing = true
      for (const wake of [...retryWakers]) wake()
      await consumer.close()
      await link.close(2_000)
    }
  }
}

import { AMQPConnectionError, type Publisher, type ReturnedMessage } from 'rabbitmq-client'
import type { CommonOptions } from '../shared/common-options.js'
import { DeliveryError, describeFailure } from '../shared/retry.js'
import type { Destination, LogRecord } from '../shared/runtime.js'
import { BrokerLink, reconnectMaxMs } from './connection.js'
import { messageOf, type MessageSettings } from './message.js'
import type { AmqpOptions } from './options.js'
import { routingKeyOf } from './routing-key.js'

/** How long a batch waits for the broker to come back before its try is given back to the runtime (costing no attempt). */
const readyWaitMs = 250

/** A message that did not get through, and why. */
type Failure = { kind: 'returned' | 'nacked' | 'timeout' | 'connection' | 'other', text: string }

/**
 * Publishes each record as a persistent message to a topic exchange, with
 * publisher confirms: a record counts as delivered once the broker confirmed
 * it and did not return it. `mandatory` is set, so an unroutable message
 * comes back (basic.return, then its confirm): it is matched to its record
 * by messageId (= event_id) before the confirm is believed. A batch is
 * published at once and its confirms awaited together (they may fail in any
 * order); only the records not confirmed are tried again. While the broker
 * is away or blocks the connection, a batch waits without spending retry
 * attempts; rabbitmq-client reconnects and declares the topology again, and
 * what is still held at the close deadline is dead-lettered.
 */
export function openAmqpDestination (options: AmqpOptions, common: CommonOptions): Destination {
  const link = new BrokerLink(options.url, { name: `daslog ${common.name}`, reconnectMaxMs: reconnectMaxMs(common.closeTimeoutMs), timeoutMs: options.timeoutMs })
  const { exchange, queue } = options
  const publisher: Publisher = link.connection.createPublisher({
    confirm: true,
    exchanges: [{ exchange, type: 'topic', durable: true }],
    queues: queue === undefined ? [] : [{ queue, durable: true }],
    queueBindings: queue === undefined ? [] : [{ queue, exchange, routingKey: '#' }]
  })
  // Returned messages by messageId, until their batch's confirms are read.
  const returned = new Map<string, string>()
  publisher.on('basic.return', (message: ReturnedMessage) => {
    if (message.messageId !== undefined) returned.set(message.messageId, `${message.replyCode} ${message.replyText} (exchange '${message.exchange}', routing key '${message.routingKey}')`)
  })
  const settings: MessageSettings = { exchange, persistent: options.persistent, routingKey: routingKeyOf(options.routingKey, options.routingKeys) }

  return {
    batchSize: options.batch.size,
    batchIntervalMs: options.batch.intervalMs,
    concurrency: options.concurrency,
    retry: options.retry,
    watchConnection (report) {
      const tell = (): void => { report(link.ready, link.ready ? undefined : link.whyNotReady()) }
      link.onChange = tell
      // `connecting` until the first change, unless it is up already.
      if (link.ready) tell()
    },
    async deliver (records: readonly LogRecord[]) {
      if (!link.ready) await link.whenReady(readyWaitMs)
      if (!link.ready) throw new DeliveryError(link.whyNotReady(), { retryable: true, attempted: false, retryAfterMs: 0 })
      const outcomes = await confirmsWithin(records.map((record) => {
        const { envelope, body } = messageOf(record, settings)
        return publisher.send(envelope, body)
      }), options.timeoutMs)
      // basic.return is emitted a turn after its frame, and its confirm follows it at once: look one turn later.
      await new Promise((resolve) => setImmediate(resolve))
      const failed: LogRecord[] = []
      const failures: Failure[] = []
      records.forEach((record, i) => {
        const id = record.event_id as string
        const back = returned.get(id)
        const failure: Failure | undefined = back !== undefined ? { kind: 'returned', text: `returned by the broker: ${back}` } : outcomes[i]
        returned.delete(id)
        if (failure === undefined) return
        failed.push(record)
        failures.push(failure)
      })
      if (failed.length > 0) throw batchError(records.length, failed, failures)
    },
    async close () {
      await publisher.close().catch(() => {})
      await link.close(1_000)
    }
  }
}

/** Each publish's outcome: undefined when confirmed, else why not (a confirm not come within `timeoutMs` included). */
async function confirmsWithin (publishes: Array<Promise<void>>, timeoutMs: number): Promise<Array<Failure | undefined>> {
  const outcomes: Array<Failure | undefined> = publishes.map(() => ({ kind: 'timeout', text: `not confirmed by the broker within ${timeoutMs} ms` }))
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs) })
  const settled = Promise.all(publishes.map((publish, i) => publish.then(
    () => { outcomes[i] = undefined },
    (error: unknown) => { outcomes[i] = failureOf(error) }
  )))
  await Promise.race([settled, late])
  clearTimeout(timer)
  return outcomes.slice()
}

function failureOf (error: unknown): Failure {
  if (error instanceof AMQPConnectionError) return { kind: 'connection', text: `the connection to the broker was lost (${describeFailure(error)})` }
  if ((error as { code?: unknown }).code === 'NACK') return { kind: 'nacked', text: 'nacked by the broker' }
  return { kind: 'other', text: describeFailure(error) }
}

/**
 * The records of a batch not confirmed, to be tried again (the rest counts
 * as delivered). A lost connection alone costs no attempt: the records wait
 * for the broker to come back.
 */
function batchError (size: number, failed: readonly LogRecord[], failures: readonly Failure[]): DeliveryError {
  const first = failures[0]!
  const message = `${failed.length} of ${size} messages not delivered: ${first.text}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`
  const attempted = failures.some((failure) => failure.kind !== 'connection')
  return new DeliveryError(message, { retryable: true, attempted, undelivered: failed, ...(attempted ? {} : { retryAfterMs: 0 }) })
}

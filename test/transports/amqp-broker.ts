import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { Connection, type AsyncMessage } from 'rabbitmq-client'
import type { Test } from 'tap'

/** The local RabbitMQ the tests use. */
export const brokerUrl = process.env.DASLOG_TEST_AMQP ?? 'amqp://guest:guest@127.0.0.1:5672'

const run = promisify(execFile)

/**
 * A fresh exchange and queue name (nothing declared yet), both deleted when
 * the test ends, with any other queues the test names through `more`.
 */
export function freshNames (t: Test): { exchange: string, queue: string, more: (suffix: string) => string } {
  const id = randomBytes(5).toString('hex')
  const queues = [`daslog-test-${id}`]
  const exchanges = [`daslog-test-${id}`]
  t.teardown(async () => {
    const admin = new Connection(brokerUrl)
    admin.on('error', () => {})
    for (const queue of queues) await admin.queueDelete({ queue }).catch(() => {})
    for (const exchange of exchanges) await admin.exchangeDelete({ exchange }).catch(() => {})
    await admin.close()
  })
  return {
    exchange: exchanges[0]!,
    queue: queues[0]!,
    more (suffix) {
      const name = `daslog-test-${id}-${suffix}`
      queues.push(name)
      exchanges.push(name)
      return name
    }
  }
}

/** Every message of a queue, taken (acked) until `count` came, or none came for `quietMs`. */
export async function takeMessages (queue: string, count: number, quietMs = 3_000): Promise<AsyncMessage[]> {
  const connection = new Connection(brokerUrl)
  connection.on('error', () => {})
  const messages: AsyncMessage[] = []
  let last = Date.now()
  const consumer = connection.createConsumer({ queue, queueOptions: { passive: true }, qos: { prefetchCount: 1000 } }, (message) => {
    messages.push(message)
    last = Date.now()
  })
  consumer.on('error', () => {})
  while (messages.length < count && Date.now() - last < quietMs) await new Promise((resolve) => setTimeout(resolve, 50))
  await consumer.close()
  await connection.close()
  return messages
}

/** Declares a durable queue (with `args`), bound with `bindingKey` to a topic exchange it also declares. */
export async function declareBoundQueue (exchange: string, queue: string, bindingKey = '#', args: Record<string, unknown> = {}): Promise<void> {
  const connection = new Connection(brokerUrl)
  connection.on('error', () => {})
  await connection.exchangeDeclare({ exchange, type: 'topic', durable: true })
  await connection.queueDeclare({ queue, durable: true, arguments: args })
  await connection.queueBind({ queue, exchange, routingKey: bindingKey })
  await connection.close()
}

/** Publishes raw bodies to a queue (through the default exchange), confirmed. */
export async function publishRaw (queue: string, messages: ReadonlyArray<{ body: Buffer | string, messageId?: string }>): Promise<void> {
  const connection = new Connection(brokerUrl)
  connection.on('error', () => {})
  const publisher = connection.createPublisher({ confirm: true })
  for (const { body, messageId } of messages) await publisher.send({ routingKey: queue, contentType: 'application/json', ...(messageId === undefined ? {} : { messageId }) }, Buffer.from(body))
  await publisher.close()
  await connection.close()
}

/** The broker away for `ms`: its application stopped, then ALWAYS started again (and waited for), whatever happened. */
export async function stopBrokerFor (ms: number): Promise<void> {
  try {
    await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 })
    await new Promise((resolve) => setTimeout(resolve, ms))
  } finally {
    await run('rabbitmqctl', ['start_app'], { timeout: 120_000 })
    await run('rabbitmqctl', ['await_startup'], { timeout: 120_000 }).catch(() => {})
  }
}

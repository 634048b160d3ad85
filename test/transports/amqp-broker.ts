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

/**
 * The broker closes this test's own connections (those whose connection name
 * contains `namePart`), `rounds` times: the client reconnects each time and
 * what was in flight is lost, as in an outage, while other engineers' tests on
 * the same broker are left alone.
 */
export async function closeConnectionsOf (namePart: string, rounds = 2): Promise<number> {
  let closed = 0
  for (let round = 0; round < rounds; round++) {
    const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q', '--no-table-headers'], { timeout: 60_000 })
    // One line a connection: its pid (<rabbit@host.1796029643.7085.0>), a tab, its client properties (connection_name among them).
    const ours = stdout.split('\n').filter((line) => line.includes(namePart)).map((line) => line.split('\t')[0]!)
    await Promise.all(ours.map((pid) => run('rabbitmqctl', ['close_connection', pid, 'daslog test: broker outage'], { timeout: 60_000 })))
    closed += ours.length
  }
  return closed
}

/**
 * A broker outage for this test: its connections closed by the broker (the
 * default), or with DASLOG_TEST_BROKER_RESTART=1 the whole broker stopped
 * for 1.5 s and started again (`rabbitmqctl stop_app` / `start_app`), which
 * disturbs every other user of the local broker.
 */
export const restartsBroker = process.env.DASLOG_TEST_BROKER_RESTART === '1'
export async function brokerOutage (namePart: string): Promise<string> {
  if (restartsBroker) {
    await stopBrokerFor(1_500)
    return 'the broker stopped for 1.5 s and started again'
  }
  const closed = await closeConnectionsOf(namePart)
  return `the broker closed the test's connections ${closed} times`
}

/** A broker outage (`brokerOutage`) while records keep coming, `logRecords(100)` every 50 ms: what happened, and whether `isDown()` said so meanwhile. */
export async function outageWhileLogging (namePart: string, logRecords: (count: number) => void, isDown: () => boolean): Promise<{ what: string, sawDown: boolean }> {
  let back = false
  let sawDown = false
  const outage = brokerOutage(namePart).finally(() => { back = true })
  while (!back) {
    logRecords(100)
    await new Promise((resolve) => setTimeout(resolve, 50))
    if (isDown()) sawDown = true
  }
  return { what: await outage, sawDown }
}

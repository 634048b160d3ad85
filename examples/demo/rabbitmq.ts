// The demo's RabbitMQ part: when a broker answers on the default URL, a few
// shop events go through daslog/transports/amqp to a temporary exchange and
// queue (deleted after) and are read back with their routing keys; when none
// does, it says how to start one. Returns a problem, or undefined.
import { connect } from 'node:net'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { Connection } from 'rabbitmq-client'
import { createLogger, Events } from 'daslog'

const url = 'amqp://guest:guest@127.0.0.1:5672'

function answers (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1_000 })
    const done = (up: boolean): void => { socket.destroy(); resolve(up) }
    socket.on('connect', () => { done(true) }).on('error', () => { done(false) }).on('timeout', () => { done(false) })
  })
}

export async function rabbitmqDemo (dir: string): Promise<string | undefined> {
  if (!await answers(5672)) {
    console.log('  no RabbitMQ answers on 127.0.0.1:5672, so this part is skipped. Start one and run the demo again:')
    console.log('    docker run -d -p 5672:5672 rabbitmq:3      (or: apt-get install rabbitmq-server)')
    return undefined
  }
  const name = `daslog-demo-${randomBytes(4).toString('hex')}`
  // A short close deadline: should the broker go away meanwhile, the demo waits 3 s at most, then dead-letters.
  const log = createLogger({ config: false, transport: { target: 'daslog/transports/amqp', options: { url, exchange: name, queue: name, closeTimeoutMs: 3_000, deadLetter: join(dir, 'amqp.dead-letter.ndjson') } } })
  log.bind('req-7').info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'ORD-1042', amount: 99.5, currency: 'EUR', transaction_id: 'tx-1' })
  log.warn(Events.AUTH_LOGIN_FAILED, { username: 'ann', reason: 'bad password' })
  await log.close()
  const [stats] = log.stats()
  console.log(`  published to exchange ${name} (topic) and confirmed by the broker: ${stats?.delivered ?? 0}; dead-lettered: ${stats?.deadLettered ?? 0}`)
  const admin = new Connection({ url, connectionTimeout: 3_000, acquireTimeout: 3_000 })
  admin.on('error', () => {})
  let read = 0
  let readBack = true
  try {
    for (let message = await admin.basicGet({ queue: name, noAck: true }); message !== undefined; message = await admin.basicGet({ queue: name, noAck: true })) {
      read++
      console.log(`    read back: routing key ${message.routingKey}, type ${message.type}, messageId ${message.messageId}, persistent ${message.durable}`)
    }
    await admin.queueDelete({ queue: name })
    await admin.exchangeDelete({ exchange: name })
  } catch (error) {
    readBack = false
    console.log(`  the broker went away while the demo read the queue back (${(error as Error).message})`)
  } finally {
    await admin.close()
  }
  // Every record confirmed or dead-lettered, never lost; what was confirmed is in the (durable) queue.
  if (stats === undefined || stats.delivered + stats.deadLettered !== 2) return 'RabbitMQ: a record was neither confirmed nor dead-lettered'
  return readBack && read !== stats.delivered ? `RabbitMQ: ${read} messages read back for ${stats.delivered} confirmed` : undefined
}

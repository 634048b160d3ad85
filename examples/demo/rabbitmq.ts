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
  const log = createLogger({ config: false, transport: { target: 'daslog/transports/amqp', options: { url, exchange: name, queue: name, deadLetter: join(dir, 'amqp.dead-letter.ndjson') } } })
  log.bind('req-7').info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'ORD-1042', amount: 99.5, currency: 'EUR', transaction_id: 'tx-1' })
  log.warn(Events.AUTH_LOGIN_FAILED, { username: 'ann', reason: 'bad password' })
  await log.close()
  const admin = new Connection(url)
  admin.on('error', () => {})
  try {
    console.log(`  published to exchange ${name} (topic), confirmed by the broker; read back from queue ${name}:`)
    let read = 0
    for (let message = await admin.basicGet({ queue: name, noAck: true }); message !== undefined; message = await admin.basicGet({ queue: name, noAck: true })) {
      read++
      console.log(`    routing key ${message.routingKey}, type ${message.type}, messageId ${message.messageId}, persistent ${message.durable}`)
    }
    return read === 2 ? undefined : `RabbitMQ: ${read} of 2 messages read back`
  } finally {
    await admin.queueDelete({ queue: name }).catch(() => {})
    await admin.exchangeDelete({ exchange: name }).catch(() => {})
    await admin.close()
  }
}

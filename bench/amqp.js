// Logger to RabbitMQ, in a process of its own, on a fresh exchange and queue of its own:
//   node bench/amqp.js <daslog|amqplib|e2e-1|e2e-2> <records> [amqp://guest:guest@127.0.0.1:5672]
// daslog: createLogger with daslog/transports/amqp (the records cross to the
// worker, batches of 500 published with confirms, two batches in flight),
// timed from the first log call until close() resolved. amqplib: the obvious
// hand-written loop on a confirm channel, the same message (JSON body,
// persistent, mandatory, messageId, type, timestamp, headers), waitForConfirms
// every 500. e2e-1/e2e-2: the daslog transport publishing while one or two
// consumeIntoStore consumers (what `daslog serve --amqp` runs) store into a
// fresh PostgreSQL database, timed until every record is a row.
// Prints one JSON line: records/s, and the messages (or rows) counted after.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hrtime } from 'node:process'
import amqplib from 'amqplib'
import pg from 'pg'
import { Connection } from 'rabbitmq-client'
import { createLogger, Events } from 'daslog'
import { openStore } from 'daslog/store'
import { consumeIntoStore } from '../dist/src/serve/amqp-consumer.js'

const [contender, recordsText, url = process.env.DASLOG_BENCH_AMQP ?? 'amqp://guest:guest@127.0.0.1:5672'] = process.argv.slice(2)
const records = Number(recordsText)
const name = `daslog-bench-${randomBytes(5).toString('hex')}`
const dir = mkdtempSync(join(tmpdir(), 'daslog-bench-amqp-'))
const fields = { user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', attempt: 1 }
const admin = new Connection(url)
admin.on('error', () => {})
await admin.exchangeDeclare({ exchange: name, type: 'topic', durable: true })
await admin.queueDeclare({ queue: name, durable: true })
await admin.queueBind({ queue: name, exchange: name, routingKey: '#' })

async function daslogPublishes () {
  const log = createLogger({
    config: false,
    base: { pid: 1, hostname: 'bench' },
    transport: { target: 'daslog/transports/amqp', options: { url, exchange: name, queueSize: records, closeTimeoutMs: 9_000, deadLetter: join(dir, 'dead.ndjson') } }
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const started = hrtime.bigint()
  for (let i = 0; i < records; i++) log.bind('c-1').info(Events.AUTH_LOGIN_SUCCESS, fields)
  await log.close()
  return started
}

async function amqplibPublishes () {
  const connection = await amqplib.connect(url)
  const channel = await connection.createConfirmChannel()
  const started = hrtime.bigint()
  for (let i = 0; i < records; i++) {
    const time = Date.now()
    const id = randomUUID()
    const record = { level: 30, time, pid: 1, hostname: 'bench', correlation_id: 'c-1', ...fields, event: 'auth_login_success', event_id: id }
    channel.publish(name, 'auth.login.success', Buffer.from(JSON.stringify(record)), {
      persistent: true, mandatory: true, contentType: 'application/json', messageId: id, type: 'auth_login_success', timestamp: Math.floor(time / 1000), headers: { level: 30, correlation_id: 'c-1' }
    })
    if ((i + 1) % 500 === 0) await channel.waitForConfirms()
  }
  await channel.waitForConfirms()
  await connection.close()
  return started
}

let seconds
let counted
try {
  if (contender === 'daslog' || contender === 'amqplib') {
    const started = contender === 'daslog' ? await daslogPublishes() : await amqplibPublishes()
    seconds = Number(hrtime.bigint() - started) / 1e9
    counted = (await admin.queueDeclare({ queue: name, passive: true })).messageCount
  } else {
    const server = process.env.DASLOG_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres'
    const database = name.replace(/-/g, '_')
    const pgAdmin = new pg.Client({ connectionString: server })
    await pgAdmin.connect()
    await pgAdmin.query(`CREATE DATABASE ${database}`)
    const dbUrl = new URL(server)
    dbUrl.pathname = `/${database}`
    try {
      const pool = new pg.Pool({ connectionString: dbUrl.href })
      pool.on('error', () => {})
      const store = await openStore(pool)
      await store.migrate()
      const consumers = Array.from({ length: contender === 'e2e-2' ? 2 : 1 }, () => consumeIntoStore(store, { url, queue: name }))
      const started = await daslogPublishes()
      const stored = () => consumers.reduce((sum, consumer) => sum + consumer.stats().stored, 0)
      while (stored() < records) await new Promise((resolve) => setTimeout(resolve, 5))
      seconds = Number(hrtime.bigint() - started) / 1e9
      counted = stored()
      await Promise.all(consumers.map((consumer) => consumer.close()))
      await store.close()
      await pool.end()
    } finally {
      await pgAdmin.query(`DROP DATABASE ${database} WITH (FORCE)`)
      await pgAdmin.end()
    }
  }
} finally {
  await admin.queueDelete({ queue: name }).catch(() => {})
  await admin.exchangeDelete({ exchange: name }).catch(() => {})
  await admin.close()
  rmSync(dir, { recursive: true, force: true })
}
console.log(JSON.stringify({ contender, destination: 'amqp', emitted: records, counted, lost: records - counted, seconds, recordsPerSecond: counted / seconds }))

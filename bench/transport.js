// One transport scenario in a process of its own (memory figures stay clean):
//   node bench/transport.js <pino|daslog> <file|slow|webhook> <records per burst> <bursts>
// Prints one JSON line: timings, records/s, peak RSS growth per burst, the
// longest single log call (an application-thread stall) and records lost.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hrtime, memoryUsage } from 'node:process'
import pino from 'pino'
import { createLogger, Events } from 'daslog'

const [contender, destination, perBurstText, burstsText] = process.argv.slice(2)
const perBurst = Number(perBurstText)
const bursts = Number(burstsText)
const dir = mkdtempSync(join(tmpdir(), 'daslog-bench-'))
process.on('exit', () => { rmSync(dir, { recursive: true, force: true }) })
const outFile = join(dir, 'out.log')
const resultFile = join(dir, 'received.txt')
const deadLetter = join(dir, 'dead-letter.ndjson')
// webhook (daslog only): batches of 500 POSTed to a receiver in another process; the queue holds the whole run.
let receiver
if (destination === 'webhook') {
  receiver = fork(new URL('./fixtures/webhook-receiver.mjs', import.meta.url).pathname)
  const [{ port }] = await once(receiver, 'message')
  receiver.url = `http://127.0.0.1:${port}/hook`
}
// pino writes raw lines to a file; daslog writes CSV rows through its csv transport.
const targets = {
  pino: {
    file: { target: 'pino/file', options: { destination: outFile } },
    slow: { target: new URL('./fixtures/slow-transport.mjs', import.meta.url).pathname, options: { resultFile } }
  },
  daslog: {
    file: { target: 'daslog/transports/csv', options: { path: outFile, deadLetter } },
    slow: { target: new URL('./fixtures/slow-daslog-transport.mjs', import.meta.url).pathname, options: { resultFile, deadLetter } },
    webhook: { target: 'daslog/transports/webhook', options: { url: receiver?.url, deadLetter, queueSize: perBurst * bursts, batch: { size: 500, intervalMs: 50 } } }
  }
}
const target = targets[contender][destination]
const base = { pid: 1, hostname: 'bench' }
const fields = { user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', attempt: 1 }

let log, finish
if (contender === 'pino') {
  const stream = pino.transport(target)
  const logger = pino({ base }, stream)
  log = () => logger.info(fields, 'auth_login_success')
  finish = () => new Promise((resolve) => {
    for (const event of ['finish', 'close', 'error']) stream.once(event, resolve)
    stream.end()
  })
} else {
  const logger = createLogger({ config: false, base, transport: target })
  log = () => logger.info(Events.AUTH_LOGIN_SUCCESS, fields)
  finish = () => logger.close()
}

// Let the worker start before measuring.
await new Promise((resolve) => setTimeout(resolve, 300))
const rssBefore = memoryUsage.rss()
const started = hrtime.bigint()
let maxStallNs = 0n
const burstGrowth = []
let rssMark = rssBefore
for (let burst = 0; burst < bursts; burst++) {
  let peak = memoryUsage.rss()
  for (let i = 0; i < perBurst; i++) {
    const t0 = hrtime.bigint()
    log()
    const took = hrtime.bigint() - t0
    if (took > maxStallNs) maxStallNs = took
    if ((i & 8191) === 0) {
      const rss = memoryUsage.rss()
      if (rss > peak) peak = rss
    }
  }
  burstGrowth.push((peak - rssMark) / 2 ** 20)
  rssMark = Math.max(peak, rssMark)
}
const logged = hrtime.bigint()
await finish()
const done = hrtime.bigint()

const emitted = perBurst * bursts
/** Lines in a file, read in pieces (a dead-letter file can outgrow one string). */
function countLines (file) {
  if (!existsSync(file)) return 0
  const fd = openSync(file, 'r')
  const buffer = Buffer.alloc(1 << 20)
  let lines = 0
  for (let read; (read = readSync(fd, buffer, 0, buffer.length)) > 0;) {
    for (let i = buffer.indexOf(10); i !== -1 && i < read; i = buffer.indexOf(10, i + 1)) lines++
  }
  closeSync(fd)
  return lines
}
let delivered
if (destination === 'file') {
  // The CSV file starts with its header row.
  delivered = countLines(outFile) - (contender === 'daslog' ? 1 : 0)
} else if (destination === 'webhook') {
  receiver.send('count')
  const [{ records }] = await once(receiver, 'message')
  delivered = records
  receiver.send('stop')
} else {
  delivered = existsSync(resultFile) ? Number(readFileSync(resultFile, 'utf8')) : 0
}
const deadLettered = countLines(deadLetter)
const seconds = Number(done - started) / 1e9
console.log(JSON.stringify({
  contender,
  destination,
  emitted,
  delivered,
  deadLettered,
  lost: emitted - delivered - deadLettered,
  logMs: Number(logged - started) / 1e6,
  untilDoneMs: Number(done - started) / 1e6,
  recordsPerSecond: delivered / seconds,
  burstGrowthMiB: burstGrowth,
  maxStallMs: Number(maxStallNs) / 1e6
}))
process.exit(0)

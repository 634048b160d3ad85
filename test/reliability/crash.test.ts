// A crashing transport, in the test process against real files: one that
// throws on a record (the worker survives, its records are dead-lettered from
// then on) and one that takes the whole worker down (the application thread
// dead-letters from then on). Reported within a second; nothing vanishes.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { createLogger, Events, type DeliveryFailure, type Logger } from 'daslog'
import { tempDir } from '../helpers.js'
import { csvOrderIds, deadLetterOrderIds, orderIds } from './child.js'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

function logOrders (log: Logger, from: number, to: number, boomAt = -1): void {
  for (let i = from; i < to; i++) {
    log.info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: `o-${i}`, amount: i, currency: 'EUR', transaction_id: `t-${i}`, ...(i === boomAt ? { boom: true } : {}) })
  }
}

/**
 * A logger whose worker holds the csv transport and, beside it, the fixture
 * target `name` (with `options`); the files in a folder of their own.
 */
function csvBeside (name: string, options: Record<string, unknown> = {}): { log: Logger, csv: string, csvDeadLetter: string, deadLetter: string } {
  const dir = tempDir(`crash-${name.replace('.mjs', '')}`)
  const files = { csv: join(dir, 'out.csv'), csvDeadLetter: join(dir, 'csv.dead-letter.ndjson'), deadLetter: join(dir, 'worker.dead-letter.ndjson') }
  const log = createLogger({
    config: false,
    deadLetter: files.deadLetter,
    transport: { targets: [{ target: 'daslog/transports/csv', options: { path: files.csv, deadLetter: files.csvDeadLetter } }, { target: fixture(name), options }] }
  })
  return { log, ...files }
}

/** Resolves with the first failure the filter accepts, and how long after `since` it came. */
function firstFailure (log: Logger, accept: (failure: DeliveryFailure) => boolean): { since: () => void, failure: Promise<{ failure: DeliveryFailure, afterMs: number }> } {
  let start = Date.now()
  return {
    since: () => { start = Date.now() },
    failure: new Promise((resolve, reject) => {
      // The worker does not hold the process open (it is unref'd, as pino's is); this timer does, and bounds the wait.
      const timer = setTimeout(() => { reject(new Error('no failure reported within 5 s')) }, 5_000)
      log.onDeliveryFailure((failure) => {
        if (!accept(failure)) return
        clearTimeout(timer)
        resolve({ failure, afterMs: Date.now() - start })
      })
    })
  }
}

t.test('a transport that cannot even load: reported, its records dead-lettered, the others unharmed, close() does not hang', async (t) => {
  const { log, csv, deadLetter } = csvBeside('unloadable-transport.mjs')
  const watch = firstFailure(log, (failure) => failure.outcome === 'failed')
  logOrders(log, 0, 100)
  const { failure } = await watch.failure
  t.match(failure, { transport: 'pino', name: fixture('unloadable-transport.mjs'), outcome: 'failed', error: /^the transport failed \(.*no license key.*\)/, deadLetter })
  const started = Date.now()
  await log.close()
  t.ok(Date.now() - started < 5_000, 'close() resolves without waiting for a target that never started')
  t.same(csvOrderIds(csv), orderIds(100), 'the csv transport in the same worker got every record')
  t.same(deadLetterOrderIds(deadLetter), orderIds(100), 'every record for the broken target is in the dead-letter file')
  t.match(log.stats().find((stats) => stats.transport === 'pino'), { accepted: 100, delivered: 0, deadLettered: 100, dropped: 0 })
})

t.test('a transport that throws on a record: reported within a second, its later records dead-lettered, the others unharmed', async (t) => {
  const delivered = join(tempDir('crash-throw'), 'delivered.txt')
  const { log, csv, deadLetter } = csvBeside('throwing-transport.mjs', { file: delivered })
  await log.flush() // the worker is up
  const watch = firstFailure(log, (failure) => failure.outcome === 'failed')
  logOrders(log, 0, 500, 300)
  watch.since()
  const { failure, afterMs } = await watch.failure
  t.ok(afterMs < 1_000, `reported ${afterMs} ms after the poison record was logged`)
  // pino-abstract-transport ends the failed iteration with an AbortError before the record's own error reaches the stream.
  t.match(failure, { transport: 'pino', name: fixture('throwing-transport.mjs'), outcome: 'failed', error: /^the transport failed \(.+\); it had been given \d+ record\(s\) before; the records for it from now on are dead-lettered$/, deadLetter })
  logOrders(log, 500, 1_000)
  await log.close()

  t.same(csvOrderIds(csv), orderIds(1_000), 'the csv transport in the same worker got every record')
  const reached = readFileSync(delivered, 'utf8').split('\n').filter(Boolean)
  t.same(reached, orderIds(300), 'the failed transport wrote what came before the poison record')
  const guard = log.stats().find((stats) => stats.transport === 'pino')!
  t.equal(guard.accepted, 1_000)
  t.equal(guard.delivered + guard.deadLettered, 1_000, 'given to it before it failed + dead-lettered after = emitted')
  t.equal(failure.count, guard.delivered, 'the report says how many it had been given')
  t.same(deadLetterOrderIds(deadLetter), orderIds(1_000).slice(guard.delivered), 'every record after the failure is in the dead-letter file')
  t.ok(guard.delivered >= 301 && guard.delivered <= 500, `it had been given ${guard.delivered}`)
})

t.test('a transport that throws where nothing can catch it: reported within a second, the worker keeps delivering', async (t) => {
  const { log, csv } = csvBeside('exiting-transport.mjs')
  await log.flush() // the worker is up
  const watch = firstFailure(log, (failure) => failure.transport === 'worker')
  logOrders(log, 0, 500, 250)
  watch.since()
  const { failure, afterMs } = await watch.failure
  t.ok(afterMs < 1_000, `reported ${afterMs} ms after the record that set it off was logged`)
  t.match(failure, { outcome: 'failed', error: /threw where nothing could catch it \(Error: the worker crashed\); the worker keeps delivering/ })
  logOrders(log, 500, 1_000)
  await log.close()
  t.same(csvOrderIds(csv), orderIds(1_000), 'the csv transport beside it delivered every record')
})

t.test('a transport that ends the worker thread: reported within a second, what is unread and everything after is dead-lettered', async (t) => {
  const { log, csv, csvDeadLetter, deadLetter } = csvBeside('dying-transport.mjs')
  await log.flush() // the worker is up
  const watch = firstFailure(log, (failure) => failure.transport === 'worker')
  logOrders(log, 0, 500, 250)
  watch.since()
  const { failure, afterMs } = await watch.failure
  t.ok(afterMs < 1_000, `reported ${afterMs} ms after the record that ended it was logged`)
  t.match(failure, { outcome: 'failed', error: /worker exited .*records logged from now on are dead-lettered/, deadLetter })
  logOrders(log, 500, 1_000)
  await log.close()

  const delivered = csvOrderIds(csv)
  const buried = [...deadLetterOrderIds(csvDeadLetter), ...deadLetterOrderIds(deadLetter)]
  const everywhere = new Set([...delivered, ...buried])
  const missing = orderIds(1_000).filter((id) => !everywhere.has(id))
  t.same(deadLetterOrderIds(deadLetter).slice(-500), orderIds(1_000).slice(500), 'everything logged after the worker ended is dead-lettered, in order')
  const worker = log.stats().find((stats) => stats.transport === 'worker')!
  t.ok(worker.deadLettered >= 500, `the application thread dead-lettered ${worker.deadLettered}`)
  t.equal(worker.dropped, 0)
  t.comment(`worker ended: emitted 1000, delivered ${delivered.length}, dead-lettered ${buried.length}, lost ${missing.length}`)
  t.same(missing, [], 'every record delivered or dead-lettered: what the csv transport held went to its dead-letter file as the thread ended')
})

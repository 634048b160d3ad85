// The end of a process, in child processes against a real HTTP receiver and
// real files: normal exit, process.exit(), SIGTERM and SIGINT (with and
// without the application's own handler), an uncaught exception, an
// unhandled rejection, and a hung endpoint within the grace period. Every
// record is counted: emitted = delivered + dead-lettered, none lost.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startWebhookReceiver, type Answer } from 'daslog/testing'
import { readLines, tempDir } from '../helpers.js'
import { readCsv } from '../transports/helpers.js'
import { csvOrderIds, deadLetterOrderIds, orderIds, runChild, webhookOrderIds } from './child.js'

const app = fileURLToPath(new URL('./fixtures/app.ts', import.meta.url))
const count = 2_000

interface Case {
  readonly name: string
  readonly end: 'return' | 'exit' | 'wait' | 'throw' | 'reject'
  readonly signal?: NodeJS.Signals
  readonly appHandler?: boolean
  readonly answer?: Answer
  readonly graceMs?: number
  /** How the child must end. */
  readonly code: number | null
  readonly endSignal: NodeJS.Signals | null
}

const cases: Case[] = [
  { name: 'the event loop empties', end: 'return', code: 0, endSignal: null },
  { name: 'process.exit(0) right after logging', end: 'exit', code: 0, endSignal: null },
  { name: 'SIGTERM: delivered, then the signal is re-raised', end: 'wait', signal: 'SIGTERM', code: null, endSignal: 'SIGTERM' },
  { name: 'SIGINT: delivered, then the signal is re-raised', end: 'wait', signal: 'SIGINT', code: null, endSignal: 'SIGINT' },
  { name: 'SIGTERM with the application\'s own handler: it decides, its last record is delivered', end: 'wait', signal: 'SIGTERM', appHandler: true, code: 0, endSignal: null },
  { name: 'an uncaught exception: the fatal record first, then everything delivered', end: 'throw', code: 1, endSignal: null },
  { name: 'an unhandled rejection: the fatal record first, then everything delivered', end: 'reject', code: 1, endSignal: null },
  { name: 'SIGTERM with a hung endpoint: the grace period ends it, the webhook records are dead-lettered', end: 'wait', signal: 'SIGTERM', answer: 'hang', graceMs: 1_000, code: null, endSignal: 'SIGTERM' }
]

const table: string[] = ['| scenario | emitted | delivered | dead-lettered | lost |', '|---|---|---|---|---|']
t.teardown(() => { t.comment(`\n${table.join('\n')}`) })

for (const scenario of cases) {
  t.test(scenario.name, async (t) => {
    const receiver = await startWebhookReceiver({ answers: () => scenario.answer })
    t.teardown(() => receiver.close())
    const dir = tempDir('shutdown')
    const csv = join(dir, 'out.csv')
    const webhookDeadLetter = join(dir, 'webhook.dead-letter.ndjson')
    const deadLetter = join(dir, 'worker.dead-letter.ndjson')
    const result = await runChild(app, [JSON.stringify({
      csv, webhook: receiver.url, webhookDeadLetter, deadLetter, count, end: scenario.end, appHandler: scenario.appHandler, graceMs: scenario.graceMs
    })], scenario.signal === undefined ? {} : { signal: scenario.signal })

    t.equal(result.code, scenario.code, `exit code (stderr: ${result.stderr.slice(0, 500)})`)
    t.equal(result.signal, scenario.endSignal, 'ended by')
    const expected = orderIds(count)
    const extra = scenario.appHandler === true ? 1 : scenario.end === 'throw' || scenario.end === 'reject' ? 1 : 0

    // CSV: every record, in order, plus the application's last record or the fatal record.
    const rows = csvOrderIds(csv)
    t.same(rows.slice(0, count), expected, 'every record in the CSV file, in order')
    t.equal(rows.length, count + extra, 'and nothing else')
    if (scenario.end === 'throw' || scenario.end === 'reject') {
      t.match(result.stderr, /boom/, 'the process still reports the error as Node does')
      const fatal = readCsvRecord(csv, count)
      t.match(fatal, {
        level: 'fatal',
        event: 'process_exception_detected',
        data: { err: { message: /^boom/ }, origin: scenario.end === 'throw' ? 'uncaughtException' : 'unhandledRejection' }
      }, 'the fatal record names the error')
    }

    // Webhook: delivered (answered 2xx) + dead-lettered = emitted, nothing twice, nothing lost.
    const delivered = webhookOrderIds(receiver.records)
    const buried = deadLetterOrderIds(webhookDeadLetter)
    const both = [...delivered, ...buried].filter((id) => id.startsWith('o-')).sort()
    t.same(both, [...expected].sort(), 'each record delivered or dead-lettered, exactly once')
    if (scenario.answer === 'hang') {
      t.equal(buried.length, count, 'the hung endpoint answered nothing: all dead-lettered')
      t.ok(result.endedAfterMs < 6_000, `ended within the grace period and the close sequence (${result.endedAfterMs} ms)`)
      t.match(readLines(webhookDeadLetter)[0], { transport: 'webhook', error: /close deadline|no time left/ })
    } else {
      t.equal(buried.length, 0, 'nothing dead-lettered')
    }
    const lost = count - new Set(both).size
    table.push(`| ${scenario.name} | ${count} CSV + ${count} webhook | ${rows.length - extra} + ${delivered.filter((id) => id.startsWith('o-')).length} | 0 + ${buried.length} | ${lost} |`)
  })
}

/** Row `index` of the CSV file (0-based, header excluded) as a record: its columns, `data` parsed. */
function readCsvRecord (file: string, index: number): Record<string, unknown> {
  const row = readCsv(file)[index + 1]!
  return { time: row[0], level: row[1], event: row[2], correlation_id: row[3], data: JSON.parse(row[4]!) as unknown }
}

t.test('a logger dropped without close() and collected: its records still reach the CSV at exit', async (t) => {
  const csv = join(tempDir('dropped'), 'out.csv')
  const result = await runChild(fileURLToPath(new URL('./fixtures/dropped-logger.ts', import.meta.url)), [csv, '500'])
  t.equal(result.code, 0, result.stderr)
  t.equal(csvOrderIds(csv).length, 500, 'every record delivered')
})

t.test('from the sources with a ts-node instance registered (tap\'s TypeScript plugin): the worker still loads daslog\'s transports through tsx', async (t) => {
  const csv = join(tempDir('ts-node'), 'out.csv')
  const preload = fileURLToPath(new URL('./fixtures/ts-node-registered.cjs', import.meta.url))
  const fixture = fileURLToPath(new URL('./fixtures/dropped-logger.ts', import.meta.url))
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--require', preload, fixture, csv, '50'], { encoding: 'utf8', timeout: 30_000 })
  t.equal(result.status, 0, result.stderr)
  t.notMatch(result.stderr, /ts-node/, 'nothing asked for ts-node')
  t.equal(csvOrderIds(csv).length, 50, 'every record delivered')
})

// `daslog replay`: dead letters re-delivered once each through the transports
// of a config file, what fails again in a new dead-letter file. The command
// runs as a child process (the built bin) against a real HTTP receiver.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { createLogger, Events } from 'daslog'
import { startWebhookReceiver } from 'daslog/testing'
import { DeadLetterFile } from '../../transports/shared/dead-letter.js'
import { readLines, tempDir } from '../helpers.js'
import { csvOrderIds, deadLetterOrderIds, orderIds, webhookOrderIds } from './child.js'

const bin = fileURLToPath(new URL('../../dist/src/cli/daslog.js', import.meta.url))

function daslog (args: readonly string[], cwd: string): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const timer = setTimeout(() => { child.kill('SIGKILL') }, 30_000)
  return new Promise((resolve) => child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) }))
}

t.test('webhook dead letters go once each through the configured webhook; what fails again lands in a new file', async (t) => {
  const dir = tempDir('replay')
  const deadLetter = join(dir, 'webhook.dead-letter.ndjson')
  // First run: the endpoint is down, every record is dead-lettered.
  const down = await startWebhookReceiver({ answers: () => ({ status: 503 }) })
  const log = createLogger({
    config: false,
    transport: { targets: [{ target: 'daslog/transports/webhook', options: { url: down.url, name: 'orders hook', deadLetter, batch: false, retry: { attempts: 1 } } }] }
  })
  log.onDeliveryFailure(() => {})
  for (let i = 0; i < 50; i++) log.info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: `o-${i}`, amount: i, currency: 'EUR', transaction_id: `t-${i}` })
  await log.close()
  await down.close()
  t.same(deadLetterOrderIds(deadLetter).sort(), orderIds(50).sort(), 'the first run dead-lettered all 50')
  const before = readFileSync(deadLetter, 'utf8')

  // Replay: the endpoint is back, but refuses two of the records for good.
  const refused = new Set(['o-7', 'o-33'])
  const up = await startWebhookReceiver({ answers: (request) => refused.has((JSON.parse(request.body) as { order_id: string }).order_id) ? { status: 422 } : undefined })
  t.teardown(() => up.close())
  const config = join(dir, 'pino.config.json')
  writeFileSync(config, JSON.stringify({ transport: { targets: [{ target: 'daslog/transports/webhook', options: { url: up.url, name: 'orders hook', batch: false, retry: { attempts: 2, minDelayMs: 10, maxDelayMs: 10 } } }] } }))
  const out = join(dir, 'still-failing.ndjson')
  const result = await daslog(['replay', deadLetter, '--config', config, '--out', out], dir)

  t.equal(result.code, 1, `exit 1: some failed again (${result.stderr})`)
  t.match(result.stdout, /replayed 50 dead letter\(s\): 48 delivered, 2 failed again \(now in .*still-failing\.ndjson\)/)
  t.same(webhookOrderIds(up.records).sort(), orderIds(50).filter((id) => !refused.has(id)).sort(), 'each record delivered exactly once')
  t.same(deadLetterOrderIds(out).sort(), [...refused].sort(), 'the refused ones are in the new dead-letter file')
  t.match(readLines(out)[0], { transport: 'webhook', name: 'orders hook', error: /422/ })
  const replayed = readdirSync(dir).filter((name) => name.startsWith('webhook.dead-letter.ndjson.replayed-'))
  t.equal(replayed.length, 1, 'the replayed file is renamed')
  t.notOk(existsSync(deadLetter), '...so nothing is left under its name')
  t.equal(readFileSync(join(dir, replayed[0]!), 'utf8'), before, 'its content is kept as it was')
  t.match(result.stdout, /webhook\.dead-letter\.ndjson is now webhook\.dead-letter\.ndjson\.replayed-[0-9T-]+Z, so a second replay does not send it again/)

  // A second replay of the same file sends nothing, and says why.
  const requests = up.requests.length
  const second = await daslog(['replay', deadLetter, '--config', config], dir)
  t.equal(second.code, 0, second.stderr)
  t.match(second.stdout, `nothing to replay: ${deadLetter} was replayed already and is now ${join(dir, replayed[0]!)}`)
  t.match(second.stdout, /replayed 0 dead letter\(s\): 0 delivered, 0 failed again/)
  t.equal(up.requests.length, requests, 'no request sent')

  // Replaying the new file once the endpoint takes everything empties it: exit 0.
  refused.clear()
  const again = await daslog(['replay', out, '--config', config], dir)
  t.equal(again.code, 0, again.stderr)
  t.match(again.stdout, /replayed 2 dead letter\(s\): 2 delivered, 0 failed again/)
})

t.test('records the worker could not take go through every daslog transport that takes them; bad input is refused clearly', async (t) => {
  const dir = tempDir('replay-worker')
  const audit = join(dir, 'audit.csv')
  const errors = join(dir, 'errors.csv')
  writeFileSync(join(dir, 'pino.config.mjs'), `export default { transport: { targets: [
    { target: 'daslog/transports/csv', options: { path: ${JSON.stringify(audit)} } },
    { target: 'daslog/transports/csv', level: 'error', options: { path: ${JSON.stringify(errors)} } }
  ] } }\n`)
  const deadLetter = join(dir, 'transport-worker.dead-letter.ndjson')
  const line = (i: number, level: number): string => JSON.stringify({
    time: '2026-11-23T10:00:00.000Z', transport: 'worker', name: 'daslog.transport', error: 'the transport worker exited', attempts: 0,
    record: { level, time: 1795000000000 + i, event: 'payment_process_success', order_id: `o-${i}` }
  })
  writeFileSync(deadLetter, [line(0, 30), line(1, 50), line(2, 30)].join('\n') + '\n')
  const result = await daslog(['replay', deadLetter], dir)
  t.equal(result.code, 0, result.stderr)
  t.same(csvOrderIds(audit), ['o-0', 'o-1', 'o-2'], 'the audit file takes every level')
  t.same(csvOrderIds(errors), ['o-1'], 'the error file only what is at error or above')

  const notDeadLetters = join(dir, 'notes.txt')
  writeFileSync(notDeadLetters, 'hello\n')
  const bad = await daslog(['replay', notDeadLetters], dir)
  t.equal(bad.code, 1)
  t.match(bad.stderr, /line 1 of .*notes\.txt is not JSON: not a daslog dead-letter file\?/)
  const missing = await daslog(['replay', join(dir, 'nope.ndjson')], dir)
  t.equal(missing.code, 1)
  t.match(missing.stderr, /does not exist/)
  const usage = await daslog(['replay'], dir)
  t.equal(usage.code, 2)
  t.match(usage.stderr, /give one dead-letter file/)
})

t.test('a dead-letter file replayed while its application runs: what fails later starts a new file under the same name', async (t) => {
  const file = join(tempDir('replay-running'), 'webhook.dead-letter.ndjson')
  const written: number[] = []
  const letters = new DeadLetterFile(file, { transport: 'webhook', name: 'hook' }, { onWritten: (count) => { written.push(count) }, onLost: () => { t.fail('lost') } })
  letters.add('{"event":"a"}', 'HTTP 503', 1)
  letters.flush()
  renameSync(file, `${file}.replayed-now`)
  letters.add('{"event":"b"}', 'HTTP 503', 1)
  letters.close()
  t.same(readLines(`${file}.replayed-now`).map((line) => line.record), [{ event: 'a' }], 'the replayed file keeps what it had')
  t.same(readLines(file).map((line) => line.record), [{ event: 'b' }], 'the later dead letter is in a new file')
  t.same(written, [1, 1])
})

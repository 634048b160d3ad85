// Log viewers show pino's message key (`msg`): every daslog line carries the
// event name there too, so `node app.js | npx pino-pretty` and a
// `{ target: 'pino-pretty' }` show it on the header line; daslog's own
// transports and test records keep the record shape (`event` only).
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from 'daslog'
import { createTestLogger } from 'daslog/testing'
import { readCsv } from '../transports/helpers.js'
import { base, tempDir, textSink, withoutTime } from '../helpers.js'

const prettyBin = join(dirname(createRequire(import.meta.url).resolve('pino-pretty/package.json')), 'bin.js')

t.test('every line has the event under msg too: direct calls, bound children, processors, batches', async (t) => {
  const out = textSink()
  const log = createLogger({ config: false, sampling: { rate: 1 }, batching: { events: ['item_process_*'], size: 2 } }, out.stream)
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  log.bind('c-1').warn(Events.AUTH_LOGIN_FAILED, { username: 'a', reason: 'r' })
  log.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i1' })
  log.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'i2' })
  await log.close()
  const records = out.lines().map((line) => JSON.parse(line) as Record<string, unknown>)
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, user_id: 'u1', event: 'auth_login_success', msg: 'auth_login_success' })
  t.strictSame(withoutTime(records[1]), { level: 40, ...base, correlation_id: 'c-1', username: 'a', reason: 'r', event: 'auth_login_failed', msg: 'auth_login_failed' })
  t.match(records[2], { event: 'events_batch', msg: 'events_batch', batched_event: 'item_process_success', event_count: 2 })
  t.equal(records.length, 3)
})

t.test('node app.js | npx pino-pretty, with its defaults, shows the event name on the header line', async (t) => {
  const out = textSink()
  const log = createLogger({ config: false }, out.stream)
  log.bind('c-7f3a').warn(Events.AUTH_LOGIN_FAILED, { username: 'alice', reason: 'invalid_password' })
  await log.close()
  const pretty = spawnSync(process.execPath, [prettyBin, '--colorize', 'false'], { input: out.text(), encoding: 'utf8', timeout: 20_000 })
  t.equal(pretty.status, 0, pretty.stderr)
  t.match(pretty.stdout.split('\n')[0], /^\[[0-9:.]+\] WARN \(\d+\): auth_login_failed$/)
  t.match(pretty.stdout, /^ {4}correlation_id: "c-7f3a"$/m)
})

t.test('{ target: "pino-pretty" } beside a daslog transport: the header shows the event; the CSV data column has no msg', async (t) => {
  const dir = tempDir('viewer-message')
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const log = createLogger({
    config: false,
    transport: {
      targets: [
        { target: 'pino-pretty', options: { destination: join(dir, 'pretty.log'), colorize: false, mkdir: true, sync: true } },
        { target: 'daslog/transports/csv', options: { path: join(dir, 'audit.csv') } }
      ]
    }
  })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  await log.close()
  t.match(readFileSync(join(dir, 'pretty.log'), 'utf8').split('\n')[0], /^\[[0-9:.]+\] INFO \(\d+\): auth_login_success$/)
  const [header, row] = readCsv(join(dir, 'audit.csv'))
  t.strictSame(header, ['time', 'level', 'event', 'correlation_id', 'data'])
  t.strictSame(row!.slice(1), ['info', 'auth_login_success', '', JSON.stringify({ user_id: 'u1' })])
})

t.test('createTestLogger records are the record shape: the copy under msg is left out', (t) => {
  const { logger, records } = createTestLogger()
  logger.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, user_id: 'u1', event: 'auth_login_success' })
  t.end()
})

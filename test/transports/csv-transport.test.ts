// The csv transport through a real pino.transport worker (the built package), files read back with csv-parse.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events, TransportConfigError, type DeliveryFailure, type LoggerOptions } from 'daslog'
import { tempDir } from '../helpers.js'
import { filesIn, readCsv, readDeadLetters } from './helpers.js'

const csv = (options: Record<string, unknown>, extra: Partial<LoggerOptions> = {}) =>
  createLogger({ config: false, base: { pid: 1, hostname: 'h' }, transport: { targets: [{ target: 'daslog/transports/csv', options }] }, ...extra })

t.test('records become rows under the default header; values read back whole', async (t) => {
  const dir = tempDir('csv')
  const path = join(dir, 'new-folder', 'events.csv')
  const log = csv({ path })
  log.bind('c-1').info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u,1', note: 'say "hi"\r\nbye', formula: '=1+1' })
  log.warn(Events.AUTH_LOGIN_FAILED, { username: '=cmd|calc', reason: 'bad password' })
  await log.close()
  const rows = readCsv(path)
  t.same(rows[0], ['time', 'level', 'event', 'correlation_id', 'data'])
  t.equal(rows.length, 3)
  t.match(rows[1]![0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.same(rows[1]!.slice(1, 4), ['info', 'auth_login_success', 'c-1'])
  t.same(JSON.parse(rows[1]![4]!), { user_id: 'u,1', note: 'say "hi"\r\nbye', formula: '=1+1' })
  t.same(rows[2]!.slice(1), ['warn', 'auth_login_failed', '', '{"username":"=cmd|calc","reason":"bad password"}'])
  t.same(log.stats(), [{ transport: 'csv', name: `csv ${path}`, accepted: 2, delivered: 2, retried: 0, deadLettered: 0, dropped: 0, queued: 0 }])
})

t.test('cells from a logger: a formula behind whitespace is neutralized, terminal sequences and C1 controls vanish whole', async (t) => {
  const path = join(tempDir('csv'), 'hostile.csv')
  const log = csv({ path, columns: ['event', 'a', 'b', 'c', 'd'] })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1', a: ' =1+1', b: '\u00a0=HYPERLINK("http://evil.example","x")', c: '\u001b[31mred\u001b[0m \u009b1mbold\u001b]0;title\u0007', d: 'x\u0085y\u0090z' } as never)
  await log.close()
  t.same(readCsv(path), [['event', 'a', 'b', 'c', 'd'], ['auth_login_success', "' =1+1", '\'\u00a0=HYPERLINK("http://evil.example","x")', 'red bold', 'xyz']])
})

t.test("columns: 'audit' takes the audit events and their fields as columns", async (t) => {
  const path = join(tempDir('csv'), 'audit.csv')
  const log = csv({ path, columns: 'audit' })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  log.bind('c-9').info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'o-1', amount: 12.5, currency: 'EUR', transaction_id: 't-1', extra: '=x' })
  await log.close()
  const [header, ...rows] = readCsv(path)
  t.same(header!.slice(0, 7), ['time', 'level', 'event', 'correlation_id', 'order_id', 'amount', 'currency'])
  t.equal(header!.at(-1), 'data')
  t.equal(rows.length, 1, 'auth_login_success is not an audit event')
  const row = Object.fromEntries(header!.map((column, i) => [column, rows[0]![i]]))
  t.match(row, { level: 'info', event: 'payment_process_success', correlation_id: 'c-9', order_id: 'o-1', amount: '12.5', currency: 'EUR', transaction_id: 't-1', data: '{"extra":"=x"}' })
  t.ok(rows.every((r) => r.length === header!.length))
})

t.test('explicit columns, events and per-target level', async (t) => {
  const dir = tempDir('csv')
  const log = createLogger({
    config: false,
    transport: {
      targets: [
        { target: 'daslog/transports/csv', options: { path: join(dir, 'payments.csv'), columns: ['event', 'order_id', 'amount'], events: 'payment_*' } },
        { target: 'daslog/transports/csv', level: 'error', options: { path: join(dir, 'errors.csv'), columns: ['level', 'event'] } }
      ]
    }
  })
  log.info(Events.PAYMENT_PROCESS_STARTED, { order_id: 'o-1', amount: 1, currency: 'EUR' })
  log.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'o-1', amount: 1, currency: 'EUR', reason: 'declined', error_code: 'E1' })
  log.error(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  await log.close()
  t.same(readCsv(join(dir, 'payments.csv')), [['event', 'order_id', 'amount'], ['payment_process_started', 'o-1', '1'], ['payment_process_failed', 'o-1', '1']])
  t.same(readCsv(join(dir, 'errors.csv')), [['level', 'event'], ['error', 'payment_process_failed'], ['error', 'auth_login_failed']])
})

t.test('the header is written once: appending keeps it; other columns start a new file beside it', async (t) => {
  const dir = tempDir('csv')
  const path = join(dir, 'events.csv')
  for (const id of ['first', 'second']) {
    const log = csv({ path })
    log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: id })
    await log.close()
  }
  t.same(readCsv(path).map((row) => row[2]), ['event', 'auth_login_success', 'auth_login_success'])
  const log = csv({ path, columns: ['event', 'user_id'] })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'third' })
  await log.close()
  const files = filesIn(dir, 'events')
  t.equal(files.length, 2)
  t.same(readCsv(path), [['event', 'user_id'], ['auth_login_success', 'third']])
  const moved = files.find((file) => file !== path)!
  t.match(moved, /events\.\d{4}-\d\d-\d\d\.csv$/, 'named from the base name')
  t.equal(readCsv(moved).length, 3, 'the old rows, untouched')
})

t.test('rotation by size loses and duplicates nothing', async (t) => {
  const dir = tempDir('csv')
  const path = join(dir, 'audit.csv')
  const log = csv({ path, rotate: { size: 4096 } })
  for (let i = 0; i < 500; i++) log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: `u-${i}` })
  await log.close()
  const files = filesIn(dir, 'audit')
  t.ok(files.length > 5, `${files.length} files`)
  const ids: string[] = []
  for (const file of files) {
    const [header, ...rows] = readCsv(file)
    t.same(header, ['time', 'level', 'event', 'correlation_id', 'data'], 'each file starts with the header')
    t.ok(readFileSync(file).length <= 4096 + 200, 'a file passes the size by at most one row')
    ids.push(...rows.map((row) => (JSON.parse(row[4]!) as { user_id: string }).user_id))
  }
  t.same(ids.sort(), Array.from({ length: 500 }, (_, i) => `u-${i}`).sort())
})

t.test('a process that logs 10,000 records and calls process.exit(0) has all 10,000 rows on disk', async (t) => {
  const path = join(tempDir('csv'), 'exit.csv')
  const result = spawnSync(process.execPath, ['--import', 'tsx', new URL('../fixtures/csv-exit.ts', import.meta.url).pathname, path, '10000'], { encoding: 'utf8', timeout: 60_000 })
  t.equal(result.status, 0, result.stderr)
  const [header, ...rows] = readCsv(path)
  t.equal(header!.length, 5)
  t.equal(rows.length, 10_000)
  t.same(rows.map((row) => (JSON.parse(row[4]!) as { order_id: string }).order_id), Array.from({ length: 10_000 }, (_, i) => `o-${i}`))
})

t.test('a file that cannot be written: retried, dead-lettered with the error, reported to the main thread', async (t) => {
  const dir = tempDir('csv')
  writeFileSync(join(dir, 'not-a-folder'), '')
  const deadLetter = join(dir, 'dead.ndjson')
  const log = csv({ path: join(dir, 'not-a-folder', 'events.csv'), deadLetter })
  const failures: DeliveryFailure[] = []
  log.onDeliveryFailure((failure) => { failures.push(failure) })
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  // A record the csv worker formats from its text, and one it parses (a nested value): each dead letter holds the whole record, with an event id.
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u2', user: { id: 'u2' } })
  await log.close()
  const lines = readDeadLetters(deadLetter)
  t.equal(lines.length, 2)
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  t.match(lines[0], { transport: 'csv', attempts: 3, error: /EEXIST|ENOTDIR/, record: { level: 30, time: Number, event: 'auth_login_success', user_id: 'u1', event_id: uuid } })
  t.match(lines[1], { transport: 'csv', attempts: 3, record: { level: 30, time: Number, event: 'auth_login_success', user_id: 'u2', user: { id: 'u2' }, event_id: uuid } })
  t.match(log.stats(), [{ accepted: 2, delivered: 0, retried: 4, deadLettered: 2 }])
  t.match(failures, [{ transport: 'csv', outcome: 'dead-lettered', count: 2, attempts: 3, deadLetter }])
})

t.test('bad options fail createLogger in the main thread, naming the transport, target and option', async (t) => {
  const dir = tempDir('csv')
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{}, /Invalid option "path" of daslog\/transports\/csv \(transport\.targets\[0\]\): the CSV file to write is required/],
    [{ path: 'a.csv', rotate: { size: 'big' } }, /"rotate\.size".*expected a positive integer, got "big"/],
    [{ path: 'a.csv', rotate: { interval: 'hourly' } }, /"rotate\.interval".*expected 'daily'/],
    [{ path: 'a.csv', rotate: {} }, /"rotate".*give size/],
    [{ path: 'a.csv', columns: [] }, /"columns".*non-empty array/],
    [{ path: 'a.csv', columns: ['a', 'a'] }, /"columns\[1\]".*listed twice/],
    [{ path: 'a.csv', fsync: 'yes' }, /"fsync".*true or false/],
    [{ path: 'a.csv', events: ['Not A Pattern'] }, /"events\[0\]"/],
    [{ path: 'a.csv', queueSize: 0 }, /"queueSize"/],
    [{ path: 'a.csv', closeTimeoutMs: 60_000 }, /"closeTimeoutMs".*0 to 9000/],
    [{ path: 'a.csv', colums: ['a'] }, /"colums".*unknown option/]
  ]
  for (const [options, message] of cases) {
    const error = thrown(() => csv(options))
    t.ok(error instanceof TransportConfigError, `${JSON.stringify(options)}: a TransportConfigError`)
    t.match(error, { transport: 'csv', target: 'transport.targets[0]', message }, JSON.stringify(options))
  }
  const app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'pino.config.json'), JSON.stringify({ transport: { target: 'daslog/transports/csv', options: { path: 'x.csv', rotate: { size: 5 } } } }))
  t.throws(() => createLogger({ config: join(app, 'pino.config.json') }), /Invalid option "rotate\.size" of daslog\/transports\/csv \(transport\) in .*pino\.config\.json: expected at least 1024 bytes, got 5/)
  t.notOk(existsSync(join(app, 'x.csv')))
})

t.test('the built module works in a plain pino.transport too, and checks its options there', async (t) => {
  const pino = (await import('pino')).default
  const dir = tempDir('csv')
  // The built module by path: under tsx, the name would map to the TypeScript sources, which a worker cannot load.
  const target = new URL('../../dist/transports/csv.js', import.meta.url).pathname
  const stream = pino.transport({ target, options: { path: join(dir, 'raw.csv'), columns: ['event', 'n'] } })
  const log = pino({ messageKey: 'event' }, stream)
  log.info({ n: 1 }, 'x_y_started')
  await new Promise<void>((resolve) => { log.flush(() => { resolve() }) })
  await new Promise<void>((resolve) => {
    // 'finish': the worker's destination closed (under tsx, the worker thread itself never exits, so no 'close').
    stream.once('finish', () => { resolve() })
    stream.end()
  })
  t.same(readCsv(join(dir, 'raw.csv')), [['event', 'n'], ['x_y_started', '1']])
  const bad = pino.transport({ target, options: { path: 1 } })
  const error = await new Promise<Error>((resolve) => bad.once('error', resolve))
  t.match(error.message, /Invalid option "path" of daslog\/transports\/csv: expected a non-empty string, got 1/)
})

function thrown (fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

// The postgres transport against the real local PostgreSQL: rows read back,
// exactly once while backends are killed, dead letters while the database is
// away, `daslog replay` (twice) storing each record once.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from '../../src/index.js'
import { replay } from '../../src/cli/replay.js'
import postgresTransport, { postgresOptionsSpec } from '../../transports/postgres.js'
import { freshDatabase, sql } from '../store/helpers.js'
import { tempDir } from '../helpers.js'
import { drainAndEnd, readDeadLetters, statsOf, uuidV7 } from './helpers.js'

const url = await freshDatabase(t)

t.test('records become rows, in the shape they were logged; the table is made on the first delivery', async (t) => {
  const dir = tempDir('postgres')
  const log = createLogger({
    config: false,
    base: { pid: 1, hostname: 'h', service: 'shop' },
    transport: { target: 'daslog/transports/postgres', options: { connectionString: url, table: 'shape', deadLetter: join(dir, 'dead.ndjson') } }
  })
  log.bind('c-1').info(Events.PAYMENT_PROCESS_SUCCESS, { order_id: 'o-1', amount: 12.5, currency: 'EUR', transaction_id: 't-1' })
  log.warn(Events.AUTH_LOGIN_FAILED, { username: 'ann', reason: 'bad password' })
  await log.close()
  const rows = await sql(url, 'SELECT event_id::text AS event_id, level, event, domain, action, status, correlation_id, service, data FROM shape ORDER BY time, event')
  t.equal(rows.length, 2)
  for (const row of rows) t.match(row.event_id, uuidV7)
  t.same(rows.map(({ event_id: _id, ...row }) => row), [
    { level: 30, event: 'payment_process_success', domain: 'payment', action: 'process', status: 'success', correlation_id: 'c-1', service: 'shop', data: { pid: 1, hostname: 'h', order_id: 'o-1', amount: 12.5, currency: 'EUR', transaction_id: 't-1' } },
    { level: 40, event: 'auth_login_failed', domain: 'auth', action: 'login', status: 'failed', correlation_id: null, service: 'shop', data: { pid: 1, hostname: 'h', username: 'ann', reason: 'bad password' } }
  ].sort((a, b) => rows.findIndex((row) => row.event === a.event) - rows.findIndex((row) => row.event === b.event)))
  t.match(log.stats(), [{ transport: 'postgres', name: `postgres ${new URL(url).host}${new URL(url).pathname}`, accepted: 2, delivered: 2, deadLettered: 0 }])
})

t.test('exactly once: 20,000 records or more while the database kills the backends every 2,500', async (t) => {
  const dir = tempDir('postgres')
  const log = createLogger({
    config: false,
    transport: { target: 'daslog/transports/postgres', options: { connectionString: url, table: 'once', batch: { size: 500, intervalMs: 20 }, retry: { attempts: 20, minDelayMs: 20, maxDelayMs: 200 }, queueSize: 200_000, deadLetter: join(dir, 'dead.ndjson') } }
  })
  let killed = 0
  let logged = 0
  const retried = (): number => log.stats()[0]?.retried ?? 0
  // Backends killed while the worker inserts: a kill between two inserts only drops idle connections, so chunks go on
  // (at least 8, at most 40) until one kill has hit an insert in flight and its batch was retried.
  for (let chunk = 0; chunk < 40 && (chunk < 8 || retried() === 0); chunk++) {
    for (let i = logged; i < logged + 2500; i++) log.info(Events.CACHE_LOOKUP_MISS, { key: `k-${i}`, i })
    logged += 2500
    await new Promise((resolve) => setTimeout(resolve, 10))
    const terminated = await sql<{ n: number }>(url.replace(/\/[^/]+$/, '/postgres'), 'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1', [new URL(url).pathname.slice(1)])
    killed += terminated[0]!.n
  }
  await log.close()
  t.ok(killed > 0, `backends were killed (${killed})`)
  const [counts] = await sql<{ rows: number, records: number, ids: number }>(url, "SELECT count(*)::int AS rows, count(DISTINCT data->>'i')::int AS records, count(DISTINCT event_id)::int AS ids FROM once")
  t.same(counts, { rows: logged, records: logged, ids: logged }, `rows = records (${logged}), none twice`)
  const [stats] = log.stats()
  t.match(stats, { accepted: logged, delivered: logged, deadLettered: 0, dropped: 0 })
  t.ok(stats!.retried > 0, `some batches were retried (${stats!.retried} records)`)
})

t.test('the database away: dead-lettered within the close deadline; daslog replay twice stores each record once', async (t) => {
  const dir = tempDir('postgres')
  const deadLetter = join(dir, 'dead.ndjson')
  const away = { connectionString: 'postgres://postgres@127.0.0.1:9/nowhere', table: 'replayed', retry: { attempts: 50, minDelayMs: 50, maxDelayMs: 200 }, closeTimeoutMs: 1_500, deadLetter }
  const log = createLogger({ config: false, transport: { target: 'daslog/transports/postgres', options: away } })
  for (let i = 0; i < 50; i++) log.info(Events.CACHE_LOOKUP_MISS, { key: `k-${i}`, i })
  const started = Date.now()
  await log.close()
  t.ok(Date.now() - started < 1_500 + 3_000, `closed by its deadline, the worker's start included (${Date.now() - started} ms)`)
  const dead = readDeadLetters(deadLetter)
  t.equal(dead.length, 50)
  t.match(dead[0], { transport: 'postgres', error: /ECONNREFUSED/, record: { event_id: uuidV7, event: 'cache_lookup_miss' } })
  t.match(log.stats(), [{ accepted: 50, delivered: 0, deadLettered: 50 }])

  const config = join(dir, 'pino.config.json')
  writeFileSync(config, JSON.stringify({ transport: { target: 'daslog/transports/postgres', options: { ...away, connectionString: url } } }))
  const first = await replay(deadLetter, { config })
  t.match(first, { replayed: 50, delivered: 50, deadLettered: 0 })
  const again = await replay(first.replayedFile!, { config })
  t.match(again, { replayed: 50, delivered: 50, deadLettered: 0 }, 'the same dead letters once more')
  const [counts] = await sql<{ rows: number, records: number }>(url, "SELECT count(*)::int AS rows, count(DISTINCT data->>'i')::int AS records FROM replayed")
  t.same(counts, { rows: 50, records: 50 }, 'each stored once')
  const ids = (await sql<{ event_id: string }>(url, 'SELECT event_id::text AS event_id FROM replayed')).map((row) => row.event_id).sort()
  t.same(ids, dead.map((line) => (line.record as { event_id: string }).event_id).sort(), 'under the ids the records had when first logged')
  t.notMatch(readFileSync(again.replayedFile!, 'utf8'), /postgres:\/\//, 'no connection string in dead letters')
})

t.test('bad data is not retried: a record whose event_id is not a UUID dead-letters its batch at once', async (t) => {
  const deadLetter = join(tempDir('postgres'), 'dead.ndjson')
  const stream = await postgresTransport({ connectionString: url, table: 'bad', batch: { size: 10, intervalMs: 0 }, retry: { attempts: 5, minDelayMs: 10, maxDelayMs: 10 }, deadLetter })
  stream.write(JSON.stringify({ event_id: 'x', level: 30, time: 0, event: 'a_b_c' }) + '\n')
  await drainAndEnd(stream)
  t.match(readDeadLetters(deadLetter), [{ attempts: 1, error: /event_id.*expected a UUID/, record: { event_id: 'x' } }])
  t.match(statsOf(stream), { delivered: 0, deadLettered: 1, retried: 0 })
})

t.test('bad options fail with the transport and option named', async (t) => {
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/postgres', options: { table: 'x' } } }), { name: 'TransportConfigError', option: 'connectionString' })
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/postgres', options: { connectionString: url, table: 'a; drop' } } }), { name: 'TransportConfigError', option: 'table' })
  t.throws(() => createLogger({ config: false, transport: { target: 'daslog/transports/postgres', options: { connectionString: 'mysql://x' } } }), /Invalid option "connectionString" of daslog\/transports\/postgres/)
})

t.test('batches of 1,000, two at once, by default; 5,000, three at once, with chain: true (a chain takes turns at its lock); what is given is kept either way', async (t) => {
  t.match(postgresOptionsSpec.parse({ connectionString: url }), { batch: { size: 1_000, intervalMs: 100 }, concurrency: 2 })
  t.match(postgresOptionsSpec.parse({ connectionString: url, chain: true }), { batch: { size: 5_000, intervalMs: 100 }, concurrency: 3 })
  t.match(postgresOptionsSpec.parse({ connectionString: url, chain: true, batch: { size: 200 }, concurrency: 1 }), { batch: { size: 200, intervalMs: 100 }, concurrency: 1 })
  t.match(postgresOptionsSpec.parse({ connectionString: url, chain: false, batch: { intervalMs: 5 } }), { batch: { size: 1_000, intervalMs: 5 }, concurrency: 2 })
})

t.test('which failures are retried: the database away or restarting yes, bad data or SQL no; messages never carry the client', async (t) => {
  const { deliveryErrorOf } = await import('../../transports/postgres/errors.js')
  const pgError = (code: string, message: string): Error => Object.assign(new Error(message), { code, client: { password: 'hunter2' } })
  const cases: Array<[Error, boolean]> = [
    [pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), true],
    [pgError('57P01', 'terminating connection due to administrator command'), true],
    [pgError('08006', 'connection failure'), true],
    [pgError('53300', 'too many connections'), true],
    [new Error('Connection terminated unexpectedly'), true],
    [pgError('22P02', 'invalid input syntax for type uuid'), false],
    [pgError('23502', 'null value in column'), false],
    [pgError('42P01', 'relation "x" does not exist'), false]
  ]
  for (const [error, retryable] of cases) {
    const delivery = deliveryErrorOf(error, 'inserting into t')
    t.equal(delivery.retryable, retryable, error.message)
    t.notMatch(delivery.message, /hunter2/)
  }
  t.equal(deliveryErrorOf(pgError('22P02', 'invalid input syntax for type uuid'), 'inserting into t').message, 'inserting into t: invalid input syntax for type uuid (22P02)')
})

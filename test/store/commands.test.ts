// `daslog schema` and `daslog query` against the local PostgreSQL server (and the schema's views read back).
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { run } from '../../src/cli/run.js'
import { timeArg } from '../../src/cli/query.js'
import { openStore } from '../../src/store/index.js'
import { tempDir } from '../helpers.js'
import { freshDatabase, idOf, sql } from './helpers.js'

const url = await freshDatabase(t)

async function daslog (...args: string[]): Promise<{ code: number, out: string[], err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await run(args, (line) => { out.push(line) }, (line) => { err.push(line) })
  return { code, out, err }
}

t.test('daslog schema prints the DDL and a typed view per audit event; applying it twice is harmless', async (t) => {
  const catalog = join(tempDir('schema'), 'catalog.yaml')
  writeFileSync(catalog, `domains:
  payment:
    process:
      statuses: [success]
      audit: true
      fields: { order_id: string, amount: number, items: integer, paid: boolean, tags: 'string[]', note: string? }
  cache:
    lookup:
      statuses: [miss]
`)
  const printed = await daslog('schema', '--catalog', catalog)
  t.equal(printed.code, 0)
  const ddl = printed.out.join('\n')
  t.match(ddl, /CREATE TABLE IF NOT EXISTS "daslog_events"/)
  t.match(ddl, /CREATE VIEW "payment_process_success"/)
  t.notMatch(ddl, /cache_lookup_miss/, 'only audit events get a view')
  for (let i = 0; i < 2; i++) execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', ddl], { stdio: ['ignore', 'ignore', 'pipe'] })
  const store = await openStore(url)
  t.teardown(() => store.close())
  await store.insert([
    { event_id: idOf(1), event: 'payment_process_success', time: 0, order_id: 'o-1', amount: 12.5, items: 3, paid: true, tags: ['a'] },
    { event_id: idOf(2), event: 'payment_process_success', time: 1, order_id: 'o-2', amount: 'twelve', items: 2.5, paid: 'yes' }
  ])
  const rows = await sql(url, 'SELECT order_id, amount, items, paid, tags, note FROM payment_process_success ORDER BY time')
  t.same(rows, [
    { order_id: 'o-1', amount: '12.5', items: '3', paid: true, tags: ['a'], note: null },
    { order_id: 'o-2', amount: null, items: '3', paid: null, tags: null, note: null }
  ], 'typed columns; a value of another JSON type reads as NULL')
  const types = await sql(url, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'payment_process_success' AND column_name IN ('amount', 'items', 'paid', 'tags') ORDER BY column_name")
  t.same(types.map((row) => `${row.column_name as string} ${row.data_type as string}`), ['amount numeric', 'items bigint', 'paid boolean', 'tags jsonb'])
  const applied = await daslog('schema', '--catalog', catalog, '--db', url)
  t.same(applied, { code: 0, out: ['daslog: daslog_events is ready in the database, with 1 audit view(s)'], err: [] })
})

t.test('daslog query: filters, formats, paging past the page size, the next cursor', async (t) => {
  const store = await openStore(url, { table: 'q' })
  t.teardown(() => store.close())
  await store.migrate()
  const now = Date.now()
  await store.insert(Array.from({ length: 1205 }, (_, i) => ({
    event_id: idOf(10_000 + i), time: now - (1205 - i) * 1000, level: i % 10 === 0 ? 50 : 30,
    event: i % 10 === 0 ? 'payment_process_failed' : 'payment_process_success', correlation_id: `c-${i % 3}`, seq: i, note: i === 1204 ? '\u001b[31mred\u0007' : 'plain'
  })))
  const json = await daslog('query', '--db', url, '--table', 'q', '--format', 'json', '--event', 'payment_*', '--where', 'seq=1204')
  t.equal(json.code, 0)
  t.same(json.out.map((line) => JSON.parse(line)), [{ event_id: idOf(11_204), time: new Date(now - 1000).toISOString(), level: 30, event: 'payment_process_success', correlation_id: 'c-1', seq: 1204, note: '\u001b[31mred\u0007' }])
  const table = await daslog('query', '--db', url, '--table', 'q', '--correlation-id', 'c-1', '--limit', '2')
  t.equal(table.out.length, 3)
  t.match(table.out[0], /^TIME +LEVEL +EVENT +CORRELATION_ID +FIELDS$/)
  t.match(table.out[1], /info +payment_process_success +c-1 +seq=1204 note= red$/, 'no terminal sequence reaches the terminal')
  t.match(table.err, [/^daslog: more events: --after \S+$/])
  const after = table.err[0]!.split('--after ')[1]!
  const next = await daslog('query', '--db', url, '--table', 'q', '--correlation-id', 'c-1', '--limit', '1', '--after', after, '--format', 'json')
  t.equal(JSON.parse(next.out[0]!).seq, 1198)
  const many = await daslog('query', '--db', url, '--table', 'q', '--limit', '1200', '--since', '1h', '--format', 'json')
  t.equal(many.out.length, 1200, 'a limit above the page size pages through the store')
  const failed = await daslog('query', '--db', url, '--table', 'q', '--level', 'error', '--since', new Date(now - 20_500).toISOString(), '--until', new Date(now).toISOString(), '--format', 'csv')
  const rows = parse(failed.out.join('\n')) as string[][]
  t.same(rows[0], ['event_id', 'time', 'level', 'event', 'correlation_id', 'data'])
  t.same(rows.slice(1).map((row) => [row[2], row[3], JSON.parse(row[5]!).seq]), [['error', 'payment_process_failed', 1200], ['error', 'payment_process_failed', 1190]])
})

t.test('daslog query and schema refuse bad arguments clearly', async (t) => {
  t.match(await daslog('query', '--db', url, '--format', 'xml'), { code: 1, err: [/--format.*table, json or csv/] })
  t.match(await daslog('query', '--db', url, '--where', 'nofield'), { code: 1, err: [/--where.*field=value/] })
  t.match(await daslog('query', '--db', url, '--since', 'yesterday'), { code: 1, err: [/--since.*15m/] })
  t.match(await daslog('query'), { code: 1, err: [/--db/] })
  t.match(await daslog('query', '--db', 'postgres://postgres@127.0.0.1:9/none'), { code: 1, err: [/the store failed: .*ECONNREFUSED/] })
  t.match(await daslog('schema', '--table', 'a-b'), { code: 1, err: [/table/] })
  t.match(await daslog('query', '--bogus'), { code: 2 })
  t.equal((timeArg('--since', '15m', 1_000_000_000) as Date).getTime(), 1_000_000_000 - 900_000)
})

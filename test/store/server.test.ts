// The store suite on the local PostgreSQL server, each run in a fresh database.
import t, { type Test } from 'tap'
import pg from 'pg'
import { openStore, type Store } from '../../src/store/index.js'
import { freshDatabase, sql } from './helpers.js'
import { storeSuite } from './store-suite.js'

const url = await freshDatabase(t)

storeSuite(t, (table, options) => openStore(url, { ...options, table }))

t.test('a pg.Pool of the application works too, and stays open after close', async (t) => {
  const pool = new pg.Pool({ connectionString: url })
  t.teardown(() => pool.end())
  const store = await openStore(pool, { table: 'app.events' })
  await pool.query('CREATE SCHEMA IF NOT EXISTS app')
  await store.migrate()
  await store.insert([{ event_id: '01900000-0000-7000-8000-000000000001', event: 'a_b_c', time: 0 }])
  await store.close()
  t.same((await pool.query('SELECT event, time FROM app.events')).rows, [{ event: 'a_b_c', time: new Date(0) }])
  const columns = await sql(url, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'app' AND table_name = 'events' ORDER BY ordinal_position")
  t.same(columns.map((column) => `${column.column_name as string} ${column.data_type as string}`), [
    'event_id uuid', 'time timestamp with time zone', 'level smallint', 'event text', 'domain text', 'action text', 'status text', 'correlation_id text', 'service text', 'data jsonb',
    'chain_key text', 'seq bigint', 'prev_hash text', 'hash text'
  ])
  const indexes = await sql(url, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'app' ORDER BY indexname")
  t.match(indexes.map((index) => index.indexdef), [/\(chain_key, seq, event_id\) WHERE \(seq IS NOT NULL\)/, /\(correlation_id\)/, /gin \(data\)/, /\(event, "time"\)/, /UNIQUE .*\(event_id\)/, /\("time"\)/])
})

t.test('a bad target or table name is refused, naming it', async (t) => {
  await t.rejects(openStore('mysql://x'), { name: 'StoreError', option: 'store target' })
  await t.rejects(openStore(url, { table: 'events; drop' }), { name: 'StoreError', option: 'table' })
})

t.test('a table partitioned by month (the retention advice of docs/store.md): the key is (event_id, time), repeats still count as duplicates', async (t) => {
  await sql(url, `CREATE TABLE parted (
    event_id uuid NOT NULL, time timestamptz NOT NULL, level smallint, event text NOT NULL, domain text, action text, status text,
    correlation_id text, service text, data jsonb NOT NULL DEFAULT '{}'::jsonb, PRIMARY KEY (event_id, time)
  ) PARTITION BY RANGE (time)`)
  await sql(url, "CREATE TABLE parted_2026_03 PARTITION OF parted FOR VALUES FROM ('2026-03-01') TO ('2026-04-01')")
  await sql(url, "CREATE TABLE parted_2026_04 PARTITION OF parted FOR VALUES FROM ('2026-04-01') TO ('2026-05-01')")
  const store = await openStore(url, { table: 'parted' })
  t.teardown(() => store.close())
  const records = [
    { event_id: '01900000-0000-7000-8000-000000000001', event: 'a_b_c', time: '2026-03-31T23:59:59.999Z' },
    { event_id: '01900000-0000-7000-8000-000000000002', event: 'a_b_c', time: '2026-04-01T00:00:00Z' }
  ]
  t.same(await store.insert(records), { inserted: 2, duplicates: 0 })
  t.same(await store.insert(records), { inserted: 0, duplicates: 2 })
  t.same((await store.query({ limit: 1 })).events.map((event) => event.time), ['2026-04-01T00:00:00.000Z'])
  t.same(await sql(url, 'SELECT count(*)::int AS n FROM parted_2026_03'), [{ n: 1 }])
})

t.test('time zones: a session in another zone changes nothing (times answered in UTC, filters exact)', async (t) => {
  const pool = new pg.Pool({ connectionString: url, options: '-c TimeZone=Asia/Kathmandu' })
  t.teardown(() => pool.end())
  const store = await openStore(pool, { table: 'zones' })
  await store.migrate()
  await store.insert([
    { event_id: '01900000-0000-7000-8000-000000000001', event: 'a_b_c', time: '2026-06-30T23:30:00-02:00' },
    { event_id: '01900000-0000-7000-8000-000000000002', event: 'a_b_c', time: Date.parse('2026-07-01T02:00:00Z') }
  ])
  t.same((await pool.query("SELECT current_setting('TimeZone') AS zone")).rows, [{ zone: 'Asia/Kathmandu' }])
  t.same((await store.query()).events.map((event) => event.time), ['2026-07-01T02:00:00.000Z', '2026-07-01T01:30:00.000Z'])
  t.same((await store.query({ from: '2026-07-01T01:30:00Z', to: '2026-07-01T01:30:00Z' })).events.length, 1, 'both ends included, to the microsecond')
  t.same((await store.query({ from: '2026-07-01' })).events.length, 2, 'a date alone is midnight UTC')
  t.same((await store.query({ to: '2026-07-01T07:15:00+05:45' })).events.length, 1)
})

t.test('one insert of 70,000 records: one parameter, not 65,535 bind parameters', async (t) => {
  const store = await openStore(url, { table: 'big' })
  t.teardown(() => store.close())
  await store.migrate()
  const records = Array.from({ length: 70_000 }, (_, i) => ({ event_id: `01900000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`, event: 'bulk_row_made', time: i, i }))
  t.same(await store.insert(records), { inserted: 70_000, duplicates: 0 })
  t.same(await sql(url, 'SELECT count(*)::int AS n, count(DISTINCT (data->>\'i\'))::int AS i FROM big'), [{ n: 70_000, i: 70_000 }])
})

/**
 * A table migrated by one store, an insert into it left open (a client of its own, in a transaction), and a second
 * store on it, as a second worker would open one, whose lock_timeout turns waiting for a lock on the table into an error.
 */
async function besideAnOpenInsert (t: Test, options: { table: string, appendOnly?: boolean }): Promise<{ open: pg.Client, worker: Store }> {
  const store = await openStore(url, options)
  t.teardown(() => store.close())
  await store.migrate()
  const open = new pg.Client({ connectionString: url })
  await open.connect()
  t.teardown(() => open.end())
  await open.query('BEGIN')
  await open.query(`INSERT INTO ${options.table} (event_id, time, event) VALUES ('01900000-0000-7000-8000-000000000001', now(), 'open_insert_pending')`)
  const worker = await openStore(`${url}?options=-c%20lock_timeout%3D2000`, options)
  t.teardown(() => worker.close())
  return { open, worker }
}

t.test('migrate() on a table that has everything takes no lock on it (a worker starting while inserts are open); a missing column or index is added', async (t) => {
  // An insert left open holds ROW EXCLUSIVE; ALTER TABLE (ACCESS EXCLUSIVE) or CREATE INDEX (SHARE) would wait for it.
  const { open, worker } = await besideAnOpenInsert(t, { table: 'busy' })
  await worker.migrate()
  t.pass('migrated beside the open insert')
  await open.query('COMMIT')

  await sql(url, 'ALTER TABLE busy DROP COLUMN hash')
  await sql(url, 'DROP INDEX busy_correlation_id')
  await worker.migrate()
  const [state] = await sql<{ hash: number, index: number }>(url, "SELECT (SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'hash') AS hash, (SELECT count(*)::int FROM pg_indexes WHERE indexname = 'busy_correlation_id') AS index")
  t.same(state, { hash: 1, index: 1 }, 'what was missing is made again')

  // With a column missing, migrate() does take the lock: it waits for the open insert (and fails here, after lock_timeout).
  await sql(url, 'ALTER TABLE busy DROP COLUMN prev_hash')
  await open.query('BEGIN')
  await open.query("INSERT INTO busy (event_id, time, event) VALUES ('01900000-0000-7000-8000-000000000002', now(), 'open_insert_pending')")
  await t.rejects(worker.migrate(), { code: '55P03' }, 'the ALTER waited for the open insert: the check above is what spared it')
  await open.query('ROLLBACK')
  await worker.migrate()
  t.same(await sql(url, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'prev_hash'"), [{ n: 1 }])
})

t.test('migrate() with appendOnly leaves triggers that are in place alone (no lock beside an open insert); a disabled trigger or another function body is made again', async (t) => {
  // DROP/CREATE TRIGGER takes SHARE ROW EXCLUSIVE, which would wait for the open insert.
  const { open, worker } = await besideAnOpenInsert(t, { table: 'sealed', appendOnly: true })
  await worker.migrate()
  t.pass('migrated beside the open insert')
  await open.query('COMMIT')

  const triggers = async (): Promise<unknown[]> => await sql(url, "SELECT t.tgname AS name, t.tgenabled AS enabled FROM pg_trigger t WHERE t.tgrelid = 'sealed'::regclass AND NOT t.tgisinternal ORDER BY t.tgname")
  const whole = [{ name: 'sealed_append_only', enabled: 'O' }, { name: 'sealed_append_only_truncate', enabled: 'O' }]
  t.same(await triggers(), whole)
  await sql(url, 'ALTER TABLE sealed DISABLE TRIGGER sealed_append_only')
  await worker.migrate()
  t.same(await triggers(), whole, 'a disabled trigger is made again')
  await sql(url, "CREATE OR REPLACE FUNCTION daslog_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$")
  await worker.migrate()
  await t.rejects(sql(url, "DELETE FROM sealed WHERE event = 'open_insert_pending'"), { code: '42501' }, 'a function that lets changes through is replaced by the one that rejects them')
})

// The store suite on the local PostgreSQL server, each run in a fresh database.
import t from 'tap'
import pg from 'pg'
import { openStore } from '../../src/store/index.js'
import { freshDatabase, sql } from './helpers.js'
import { storeSuite } from './store-suite.js'

const url = await freshDatabase(t)

storeSuite(t, (table) => openStore(url, { table }))

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
    'event_id uuid', 'time timestamp with time zone', 'level smallint', 'event text', 'domain text', 'action text', 'status text', 'correlation_id text', 'service text', 'data jsonb'
  ])
  const indexes = await sql(url, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'app' ORDER BY indexname")
  t.match(indexes.map((index) => index.indexdef), [/\(correlation_id\)/, /gin \(data\)/, /\(event, "time"\)/, /UNIQUE .*\(event_id\)/, /\("time"\)/])
})

t.test('a bad target or table name is refused, naming it', async (t) => {
  await t.rejects(openStore('mysql://x'), { name: 'StoreError', option: 'store target' })
  await t.rejects(openStore(url, { table: 'events; drop' }), { name: 'StoreError', option: 'table' })
})

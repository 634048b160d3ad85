// Logger to PostgreSQL, in a process of its own and a fresh database of its own:
//   node bench/postgres.js <daslog|pg> <records> [postgres://server/postgres]
// daslog: createLogger with daslog/transports/postgres (the records cross to
// the worker, batch, one jsonb_to_recordset insert per batch), timed from the
// first log call until close() resolved. pg: the obvious hand-written loop,
// batches of 1,000 records as one multi-row INSERT ... VALUES ($1, ...), ...
// each awaited, into the same table. Prints one JSON line.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hrtime } from 'node:process'
import pg from 'pg'
import { createLogger, Events } from 'daslog'
import { openStore } from 'daslog/store'

const [contender, recordsText, serverUrl = process.env.DASLOG_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres'] = process.argv.slice(2)
const records = Number(recordsText)
const name = `daslog_bench_${randomBytes(6).toString('hex')}`
const admin = new pg.Client({ connectionString: serverUrl })
await admin.connect()
await admin.query(`CREATE DATABASE ${name}`)
const url = new URL(serverUrl)
url.pathname = `/${name}`
const dir = mkdtempSync(join(tmpdir(), 'daslog-bench-pg-'))
const fields = { user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', attempt: 1 }

let seconds
try {
  const store = await openStore(url.href)
  await store.migrate()
  await store.close()
  if (contender === 'daslog') {
    const log = createLogger({
      config: false,
      base: { pid: 1, hostname: 'bench' },
      transport: { target: 'daslog/transports/postgres', options: { connectionString: url.href, migrate: false, queueSize: records, deadLetter: join(dir, 'dead.ndjson') } }
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const started = hrtime.bigint()
    for (let i = 0; i < records; i++) log.bind('c-1').info(Events.AUTH_LOGIN_SUCCESS, fields)
    await log.close()
    seconds = Number(hrtime.bigint() - started) / 1e9
  } else {
    const pool = new pg.Pool({ connectionString: url.href })
    const started = hrtime.bigint()
    const batch = 1000
    for (let from = 0; from < records; from += batch) {
      const values = []
      const params = []
      for (let i = from; i < Math.min(records, from + batch); i++) {
        const n = params.length
        values.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8})`)
        params.push(randomUUID(), new Date(), 30, 'auth_login_success', 'auth', 'login', 'success', JSON.stringify({ pid: 1, hostname: 'bench', ...fields, correlation_id: 'c-1' }))
      }
      await pool.query(`INSERT INTO daslog_events (event_id, time, level, event, domain, action, status, data) VALUES ${values.join(', ')}`, params)
    }
    seconds = Number(hrtime.bigint() - started) / 1e9
    await pool.end()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const counter = new pg.Client({ connectionString: url.href })
await counter.connect()
const stored = (await counter.query('SELECT count(*)::int AS n FROM daslog_events')).rows[0].n
await counter.end()
await admin.query(`DROP DATABASE ${name} WITH (FORCE)`)
await admin.end()
console.log(JSON.stringify({ contender, destination: 'postgres', emitted: records, stored, lost: records - stored, seconds, recordsPerSecond: stored / seconds }))

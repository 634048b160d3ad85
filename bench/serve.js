// daslog serve under load, the collector in a process of its own, a fresh store of its own:
//   node bench/serve.js <embedded|postgres> [seconds per phase] [postgres://server/postgres]
// autocannon POSTs batches of 100 records (each request stores 100 new rows, stamped with the
// time they arrive, since they carry none), then GETs
// /events?limit=100 (the newest 100). Prints one JSON line: records/s stored and p99 of the POSTs,
// requests/s and p99 of the GETs, and the rows counted in the store afterwards.
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { openStore } from 'daslog/store'

const [kind, secondsText = '10', serverUrl = process.env.DASLOG_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres'] = process.argv.slice(2)
const seconds = Number(secondsText)
const batch = 100
const dir = mkdtempSync(join(tmpdir(), 'daslog-bench-serve-'))
let db = '-'
let admin
const name = `daslog_bench_${randomBytes(6).toString('hex')}`
if (kind === 'postgres') {
  admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  db = url.href
}

const collector = fork(new URL('./fixtures/serve-collector.mjs', import.meta.url).pathname, [db, join(dir, 'data')])
try {
  const [{ url }] = await once(collector, 'message')
  const fields = { user_id: 'user_123', duration_ms: 45, source: 'web_app', ip_address: '192.168.1.100', attempt: 1 }
  const body = JSON.stringify(Array.from({ length: batch }, (_, i) => ({ level: 30, event: 'auth_login_success', correlation_id: `c-${i % 10}`, ...fields })))
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' }
  const posts = await autocannon({ url: `${url}/events`, method: 'POST', headers, body, connections: 8, duration: seconds })
  const gets = await autocannon({ url: `${url}/events?limit=100`, headers, connections: 8, duration: seconds })
  const store = await openStore(db === '-' ? { dir: join(dir, 'data') } : db)
  collector.send('stop')
  await once(collector, 'exit')
  // Counted after the collector closed: the embedded store has one owner at a time.
  const rows = await countRows(store)
  await store.close()
  const stored = posts['2xx'] * batch
  process.stdout.write(JSON.stringify({
    destination: `serve-${kind}`,
    postRecordsPerSecond: stored / posts.duration,
    postP99Ms: posts.latency.p99,
    postErrors: posts.non2xx + posts.errors,
    getRequestsPerSecond: gets['2xx'] / gets.duration,
    getP99Ms: gets.latency.p99,
    getErrors: gets.non2xx + gets.errors,
    stored,
    rows,
    // Requests still in flight when autocannon stopped are stored but not counted: rows can exceed stored.
    lost: Math.max(0, stored - rows)
  }) + '\n')
} finally {
  collector.kill()
  rmSync(dir, { recursive: true, force: true })
  if (admin !== undefined) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

async function countRows (store) {
  let rows = 0
  let after
  do {
    const page = await store.query({ limit: 1000, ...(after === undefined ? {} : { after }) })
    rows += page.events.length
    after = page.next ?? undefined
  } while (after !== undefined)
  return rows
}

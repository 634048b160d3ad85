// daslog serve as a process: listens at once (503 while a fresh embedded store opens), stops gracefully on SIGTERM
// with a request in flight; refuses another address without auth; daslog migrate; daslog query --server.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { request } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { openStore } from '../../src/store/index.js'
import { tempDir } from '../helpers.js'
import { freshDatabase, idOf, sql } from '../store/helpers.js'
import { serveOptions } from '../../src/serve/options.js'
import { startCollector } from '../../src/serve/server.js'
import { call, daslog, readyCollector } from './helpers.js'

const startingCollector = (db: string): ReturnType<typeof startCollector> => startCollector(serveOptions({ port: '0', db }, {}), { storeRetryMs: 100 })

const cli = join(import.meta.dirname, '../../src/cli/daslog.ts')

function daslogProcess (args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess, stderr: () => string, listening: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: '', DASLOG_TOKENS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
      const url = /listening on (http:\/\/\S+),/.exec(stderr)?.[1]
      if (url !== undefined) resolve(url)
    })
    child.once('exit', () => { reject(new Error(`exited: ${stderr}`)) })
  })
  listening.catch(() => {})
  return { child, stderr: () => stderr, listening }
}

t.test('a fresh embedded store: /healthz 503 with the reason at once, 200 once open; SIGTERM lets a request in flight finish, then exits 0', async (t) => {
  const data = join(tempDir('serve-cli'), 'data')
  const server = daslogProcess(['serve', '--port', '0', '--data', data], { DASLOG_TOKENS: 't1, ,t2,' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const url = await server.listening
  const early = await call(url, 'GET', '/healthz')
  t.equal(early.status, 503)
  t.match(early.body, { status: 'unavailable', reason: `the embedded store in ${data} is opening` })
  const refused = await call(url, 'GET', '/events', { headers: { authorization: 'Bearer t2' } })
  t.same([refused.status, refused.body.error.code], [503, 'store_unavailable'], 'the API says the store is not there yet')
  for (let i = 0; i < 600 && (await call(url, 'GET', '/healthz')).status !== 200; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  t.same((await call(url, 'GET', '/healthz')).body, { status: 'ok' })

  // A POST whose body is half sent when SIGTERM arrives.
  const body = JSON.stringify({ event: 'shutdown_inflight_success', event_id: idOf(1) })
  const answer = new Promise<{ status: number, text: string }>((resolve, reject) => {
    const req = request(`${url}/events`, { method: 'POST', headers: { authorization: 'Bearer t1', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
      res.on('end', () => { resolve({ status: res.statusCode!, text }) })
    })
    req.on('error', reject)
    req.write(body.slice(0, 10))
    setTimeout(() => {
      server.child.kill('SIGTERM')
      setTimeout(() => { req.end(body.slice(10)) }, 300)
    }, 200)
  })
  const finished = await answer
  t.equal(finished.status, 201)
  t.same(JSON.parse(finished.text), { accepted: 1, duplicates: 0, event_ids: [idOf(1)] })
  const [code] = await once(server.child, 'exit') as [number]
  t.equal(code, 0)
  t.match(server.stderr(), /SIGTERM: finishing requests in flight, then closing the store\n.*collector stopped/)
  await t.rejects(call(url, 'GET', '/healthz'), { code: 'ECONNREFUSED' }, 'no longer listening')
  const store = await openStore({ dir: data })
  t.teardown(() => store.close())
  t.match((await store.query({})).events, [{ event_id: idOf(1), event: 'shutdown_inflight_success' }], 'stored, and the store was closed cleanly (it reopens)')
})

t.test('no auth configured: listening beyond loopback is refused, saying why; empty settings count as none', async (t) => {
  const server = daslogProcess(['serve', '--host', '0.0.0.0', '--port', '0'], { DASLOG_TOKENS: ' , ', DASLOG_BASIC_AUTH: '' })
  const [code] = await once(server.child, 'exit') as [number]
  t.equal(code, 1)
  t.match(server.stderr(), /Invalid option "--host": 0\.0\.0\.0 is reachable from other machines and no auth is configured: give --token \(DASLOG_TOKENS\)/)
})

t.test('/healthz: 503 with the reason while PostgreSQL is unreachable, at start or later; the collector still closes', async (t) => {
  const away = await startingCollector('postgres://postgres@127.0.0.1:1/none')
  for (let i = 0; i < 100 && !/unreachable/.test((await call(away.url, 'GET', '/healthz')).body.reason ?? ''); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  const early = await call(away.url, 'GET', '/healthz')
  t.equal(early.status, 503)
  t.match(early.body, { status: 'unavailable', reason: /^the store is unreachable: .*ECONNREFUSED/ })
  await away.close()

  const url = await freshDatabase(t)
  const collector = await readyCollector({ db: url }, { token: ['t'] })
  t.teardown(() => collector.close())
  t.same((await call(collector.url, 'GET', '/healthz')).body, { status: 'ok' })
  await sql(url.replace(/\/[^/]*$/, '/postgres'), `DROP DATABASE ${new URL(url).pathname.slice(1)} WITH (FORCE)`)
  const gone = await call(collector.url, 'GET', '/healthz')
  t.equal(gone.status, 503)
  t.match(gone.body, { status: 'unavailable', reason: /^the store is unreachable: / })
  const refused = await call(collector.url, 'POST', '/events', { headers: { authorization: 'Bearer t' }, body: '{"event":"store_gone_failed"}' })
  t.same([refused.status, refused.body.error.code], [503, 'store_unavailable'])
})

t.test('daslog migrate runs the DDL alone; daslog query --server asks a collector with the same flags as a database', async (t) => {
  const url = await freshDatabase(t)
  const migrated = await daslog('migrate', '--db', url)
  t.equal(migrated.code, 0)
  t.match(migrated.out, [/daslog_events is ready in the database/])
  t.same(await sql(url, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'daslog_events'"), [{ n: 1 }])
  t.match((await daslog('migrate')).err, [/Invalid option "--db"/], 'no store named: says which option')

  await t.test('query --server', async (t) => {
    const collector = await readyCollector({ db: url }, { token: ['q-token'] })
    t.teardown(() => collector.close())
    const records = Array.from({ length: 3 }, (_, i) => ({ event_id: idOf(10 + i), time: `2026-05-01T00:00:0${i}Z`, level: 40, event: 'invoice_send_failed', correlation_id: 'c-q', account: { id: 1346 + i } }))
    t.equal((await call(collector.url, 'POST', '/events', { headers: { authorization: 'Bearer q-token' }, body: JSON.stringify(records) })).status, 201)
    const found = await daslog('query', '--server', collector.url, '--token', 'q-token', '--event', 'invoice_*', '--where', 'account.id=1347', '--level', 'warn', '--since', '2026-04-01', '--format', 'json')
    t.equal(found.code, 0)
    t.same(found.out.map((line) => JSON.parse(line)), [{ event_id: idOf(11), time: '2026-05-01T00:00:01.000Z', level: 40, event: 'invoice_send_failed', correlation_id: 'c-q', account: { id: 1347 } }])
    const paged = await daslog('query', '--server', collector.url, '--token', 'q-token', '--correlation-id', 'c-q', '--limit', '2', '--format', 'json')
    t.same(paged.out.map((line) => JSON.parse(line).event_id), [idOf(12), idOf(11)])
    t.match(paged.err, [/more events: --after \S+/])
    const after = /--after (\S+)/.exec(paged.err[0]!)![1]!
    t.same((await daslog('query', '--server', collector.url, '--token', 'q-token', '--correlation-id', 'c-q', '--after', after, '--format', 'json')).out.map((line) => JSON.parse(line).event_id), [idOf(10)])
    t.match(await daslog('query', '--server', collector.url, '--token', 'wrong'), { code: 1, err: [/the collector answered 401: give Authorization/] })
    t.match(await daslog('query', '--server', collector.url, '--token', 'q-token', '--where', 'a..b=1'), { code: 1, err: [/the collector answered 400: "a\.\.b": expected a field name/] })
    t.match(await daslog('query', '--server', collector.url, '--db', url), { code: 1, err: [/Invalid option "--db": --server asks a collector/] })
  })
})

t.test('daslog serve --chain --chain-key as a process: says so on start, and verify --server walks that chain', async (t) => {
  const url = await freshDatabase(t)
  const server = daslogProcess(['serve', '--port', '0', '--db', url, '--chain', '--chain-key', 'tenant-7'], { DASLOG_TOKENS: 'c-token' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const base = await server.listening
  t.match(server.stderr(), /opening PostgreSQL, chaining records into chain "tenant-7"/)
  for (let i = 0; i < 100 && (await call(base, 'GET', '/healthz')).status !== 200; i++) await new Promise((resolve) => setTimeout(resolve, 100))
  const records = [1, 2].map((n) => ({ event_id: idOf(n), event: 'refund_issue_success', n }))
  t.equal((await call(base, 'POST', '/events', { headers: { authorization: 'Bearer c-token' }, body: JSON.stringify(records) })).status, 201)
  const verified = await daslog('verify', '--server', base, '--token', 'c-token', '--head')
  t.equal(verified.code, 0, verified.err.join('\n'))
  t.match(verified.out, [/^2:[0-9a-f]{64}$/])
  t.match(verified.err, [/^daslog verify: 2 row\(s\) verified in chain "tenant-7" of daslog_events, head 2:/])
  server.child.kill('SIGTERM')
  const [code] = await once(server.child, 'exit') as [number]
  t.equal(code, 0)
})

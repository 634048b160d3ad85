// daslog serve --chain on the local PostgreSQL server, and daslog verify --server: the suite shared with the
// embedded store, then what only needs one store: a chain key, a collector without --chain, wrong flags.
import t from 'tap'
import { freshDatabase, idOf, sql } from '../store/helpers.js'
import { serverTarget } from '../../src/cli/server-source.js'
import { chainSuite } from './chain-suite.js'
import { allAuth, bearer, call, daslog, json, readyCollector } from './helpers.js'

const db = await freshDatabase(t)

// In subtests, so each collector closes before the database is dropped.
t.test('on PostgreSQL', async (t) => {
  const collector = await readyCollector({ db }, { ...allAuth, chain: true })
  t.teardown(() => collector.close())
  chainSuite(t, {
    collector: () => collector,
    local: (...args) => daslog('verify', '--db', db, ...args),
    tamper: async (text) => { await sql(db, text) }
  })
})

t.test('--chain-key: records join that chain, which verify --server walks unless told another', async (t) => {
  const collector = await readyCollector({ db, table: 'tenants' }, { token: ['t'], chain: true, 'chain-key': 'tenant-42' })
  t.teardown(() => collector.close())
  const records = [1, 2, 3].map((n) => ({ event_id: idOf(n), event: 'invoice_send_success', n }))
  t.equal((await call(collector.url, 'POST', '/events', { headers: { ...json, ...bearer('t') }, body: JSON.stringify(records) })).status, 201)
  t.same(await sql(db, 'SELECT chain_key, seq::int AS seq FROM tenants ORDER BY seq'), [1, 2, 3].map((seq) => ({ chain_key: 'tenant-42', seq })))
  const verified = await daslog('verify', '--server', collector.url, '--token', 't')
  t.equal(verified.code, 0)
  t.match(verified.out, [/^daslog verify: 3 row\(s\) verified in chain "tenant-42" of tenants, head 3:[0-9a-f]{64}$/])
  t.same(await daslog('verify', '--db', db, '--table', 'tenants', '--chain-key', 'tenant-42'), verified, 'as on the store, given the key and table')
  t.match((await daslog('verify', '--server', collector.url, '--token', 't', '--chain-key', 'default')).out, [/^daslog verify: 0 row\(s\) verified in chain "default" of tenants \(empty\)$/])
})

t.test('a collector without --chain stores rows unchained and answers /chain/verify 409, which verify --server reports (exit 1)', async (t) => {
  const collector = await readyCollector({ db, table: 'plain' }, { token: ['t'] })
  t.teardown(() => collector.close())
  t.equal((await call(collector.url, 'POST', '/events', { headers: { ...json, ...bearer('t') }, body: '{"event":"order_place_success"}' })).status, 201)
  t.same(await sql(db, 'SELECT chain_key, seq, hash FROM plain'), [{ chain_key: null, seq: null, hash: null }])
  const answer = await call(collector.url, 'GET', '/chain/verify', { headers: bearer('t') })
  t.equal(answer.status, 409)
  t.match(answer.body.error, { code: 'chain_not_enabled', message: /start it with --chain/ })
  t.equal((await call(collector.url, 'GET', '/chain/verify')).status, 401, 'auth first')
  const verified = await daslog('verify', '--server', collector.url, '--token', 't')
  t.equal(verified.code, 1)
  t.same(verified.out, [])
  t.match(verified.err, [/^daslog: the collector answered 409: this collector stores records without a hash chain: start it with --chain/])
})

t.test('wrong verify flags are named before anything is asked', async (t) => {
  const server = 'http://127.0.0.1:1'
  const cases: Array<[string[], string, RegExp]> = [
    [['--server', server, '--db', db], '--db', /--server asks a collector over HTTP, which reads its own store; leave out --db/],
    [['--server', server, '--data', 'folder'], '--data', /leave out --data/],
    [['--server', server, '--table', 'audit'], '--table', /leave out --table/],
    [['--db', db, '--token', 't'], '--token', /goes with --server/],
    [['--server', 'ftp://x'], '--server', /http:\/\/ or https:\/\/ URL/],
    [['--server', server, '--chain-key', ''], '--chain-key', /non-empty key/],
    [['--server', server, '--from', '0'], '--from', /whole number from 1/],
    [['--server', server, '--expect', 'head'], '--expect', /<seq>:<sha-256 hex>/],
    [['--server', server, '--from', '5', '--expect', `4:${'a'.repeat(64)}`], '--expect', /the anchored seq 4 is before --from 5/]
  ]
  for (const [args, option, message] of cases) {
    const result = await daslog('verify', ...args)
    t.equal(result.code, 1, args.join(' '))
    t.match(result.err, [new RegExp(`^daslog: Invalid (?:option "${option}"|${option}): .*${message.source}`)], args.join(' '))
  }
  t.same(serverTarget({ server }, { DASLOG_TOKEN: 'from-env' }), { url: server, token: 'from-env' }, '--token defaults to DASLOG_TOKEN')
  t.same(serverTarget({ server, token: 'flag' }, { DASLOG_TOKEN: 'from-env' }), { url: server, token: 'flag' }, 'the flag wins')
  t.same(serverTarget({ server }, { DASLOG_TOKEN: '' }), { url: server, token: undefined }, 'an empty DASLOG_TOKEN is none')
  const away = await daslog('verify', '--server', server)
  t.equal(away.code, 1)
  t.match(away.err, [/^daslog: the collector at http:\/\/127\.0\.0\.1:1 is unreachable: .*ECONNREFUSED/])
})

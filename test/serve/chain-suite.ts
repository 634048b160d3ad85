// `daslog serve --chain` and `daslog verify --server`, run on the embedded store and on PostgreSQL:
// what is POSTed is chained, the collector's verify says what the store's own says, tampering shows.
import type { Test } from 'tap'
import { Webhook } from 'standardwebhooks'
import type { Collector } from '../../src/serve/server.js'
import { idOf } from '../store/helpers.js'
import { basic, bearer, call, daslog, json, signingSecret } from './helpers.js'

/** A collector started with --chain (and allAuth) over a store the suite may also reach directly. */
export interface ChainedCollector {
  /** The collector now (`offline` restarts it: a new one, at a new port). */
  readonly collector: () => Collector
  /** `daslog verify` on the store itself (--db, or --data with the collector stopped meanwhile). */
  readonly local: (...args: string[]) => ReturnType<typeof daslog>
  /** One SQL script run on the store, as an intruder would (the embedded store: with the collector stopped meanwhile). */
  readonly tamper: (sql: string) => Promise<void>
}

const head = /^[1-9]\d*:[0-9a-f]{64}$/

export function chainSuite (t: Test, target: ChainedCollector): void {
  const url = (): string => target.collector().url
  const post = (body: unknown, headers: Record<string, string> = bearer()): ReturnType<typeof call> => call(url(), 'POST', '/events', { headers: { ...json, ...headers }, body: JSON.stringify(body) })
  const remote = (...args: string[]): ReturnType<typeof daslog> => daslog('verify', '--server', url(), '--token', 't-new', ...args)
  const record = (n: number): Record<string, unknown> => ({ event_id: idOf(n), time: `2026-06-01T10:00:00.${String(n).padStart(3, '0')}123Z`, level: 30, event: 'payment_process_success', correlation_id: `c-${n}`, amount: n + 0.5 })

  t.test('records POSTed (batches, repeats, the EventLogger shape) are chained: verify --server prints what verify on the store prints', async (t) => {
    t.same((await post([1, 2, 3, 4].map(record))).body, { accepted: 4, duplicates: 0, event_ids: [1, 2, 3, 4].map(idOf) })
    t.same((await post([3, 4, 5, 6].map(record), basic)).body, { accepted: 2, duplicates: 2, event_ids: [3, 4, 5, 6].map(idOf) }, 'repeats are not chained twice')
    t.equal((await post({ event_type: 'old_account', event_id: idOf(7), user_identity: 'Asad_Zaman', event_data: { account_id: 1346 } })).status, 201)
    const body = JSON.stringify(record(8))
    const at = new Date()
    const signature = { 'webhook-id': 'msg_chain', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(signingSecret).sign('msg_chain', at, body) }
    t.equal((await call(url(), 'POST', '/events', { headers: { ...json, ...signature }, body })).status, 201, 'a signed webhook batch too')

    const remoteRun = await remote()
    t.equal(remoteRun.code, 0, remoteRun.err.join('\n'))
    t.same(remoteRun.err, [])
    t.match(remoteRun.out, [/^daslog verify: 8 row\(s\) verified in chain "default" of daslog_events, head 8:[0-9a-f]{64}$/])
    const localRun = await target.local()
    t.same(localRun, remoteRun, 'the same lines and exit code as on the store itself')

    const answer = await call(url(), 'GET', '/chain/verify', { headers: basic })
    t.equal(answer.status, 200)
    t.same(answer.body, { ok: true, rows: 8, head: { seq: '8', hash: remoteRun.out[0]!.slice(-64) }, chain_key: 'default', table: 'daslog_events' })
    const found = await call(url(), 'GET', '/events?correlation_id=c-5', { headers: bearer() })
    t.match(found.body.events, [{ event_id: idOf(5), amount: 5.5 }], 'a chained record reads back as it was sent: the chain columns are not fields')
    t.notOk('seq' in found.body.events[0]! || 'hash' in found.body.events[0]!)
  })

  t.test('--head and --expect over the server: the same as on the store; a wrong or unreached anchor exits 1', async (t) => {
    const printed = await remote('--head')
    t.equal(printed.code, 0)
    t.match(printed.out, [head])
    t.match(printed.err, [/^daslog verify: 8 row\(s\) verified/])
    t.same(await target.local('--head'), printed)
    const anchor = printed.out[0]!
    t.equal(anchor, `8:${(await call(url(), 'GET', '/chain/verify', { headers: bearer() })).body.head!.hash}`)

    const through = await remote('--expect', anchor)
    t.equal(through.code, 0)
    t.match(through.out, [/, through the anchored seq 8$/])
    t.same(await target.local('--expect', anchor), through)
    t.equal((await remote('--from', '5', '--expect', anchor)).code, 0, '--from with --expect')
    t.match((await remote('--from', '5')).out, [/^daslog verify: 4 row\(s\) verified/], '--from: only from seq 5')

    const wrong = await remote('--expect', `8:${'0'.repeat(64)}`)
    t.equal(wrong.code, 1)
    t.match(wrong.err, [new RegExp(`broken at event ${idOf(8)} \\(seq 8\\): hash differs from the anchored 8:0{64}`)])
    t.same(await target.local('--expect', `8:${'0'.repeat(64)}`), wrong)
    const beyond = await remote('--expect', `9:${anchor.slice(2)}`)
    t.equal(beyond.code, 1)
    t.match(beyond.err, [/the chain ends at seq 8, before the anchored seq 9: rows at its end were deleted; 8 row\(s\) verified before it$/])

    const other = await remote('--chain-key', 'tenant-x', '--head')
    t.equal(other.code, 0)
    t.same(other.out, [`0:${'0'.repeat(64)}`], 'another, empty chain: the genesis head')
    t.match(other.err, [/^daslog verify: 0 row\(s\) verified in chain "tenant-x" of daslog_events \(empty\)$/])
  })

  t.test('a row edited with SQL: verify --server exits 1 naming that event; put back, it passes', async (t) => {
    await target.tamper(`UPDATE daslog_events SET data = jsonb_set(data, '{amount}', '3.50') WHERE event_id = '${idOf(3)}'`)
    const broken = await remote()
    t.equal(broken.code, 1)
    t.same(broken.out, [])
    t.same(broken.err, [`daslog verify: chain "default" of daslog_events is broken at event ${idOf(3)} (seq 3): hash does not match the row: it was edited; 2 row(s) verified before it`])
    t.same(await target.local(), broken, 'as on the store itself')
    t.match((await call(url(), 'GET', '/chain/verify', { headers: bearer() })).body, { ok: false, rows: 2, problem: { event_id: idOf(3), seq: '3', reason: /hash does not match/ }, chain_key: 'default', table: 'daslog_events' })
    await target.tamper(`UPDATE daslog_events SET data = jsonb_set(data, '{amount}', '3.5') WHERE event_id = '${idOf(3)}'`)
    t.equal((await remote()).code, 0, 'the row put back as it was stored')

    await target.tamper(`DELETE FROM daslog_events WHERE event_id = '${idOf(8)}'`)
    t.equal((await remote()).code, 0, 'the last row deleted: not seen by the chain alone...')
    const anchored = await remote('--expect', `8:${'a'.repeat(64)}`)
    t.equal(anchored.code, 1, '...but against an anchored head')
    t.match(anchored.err, [/before the anchored seq 8/])
  })

  t.test('auth: the same as GET /events; every bad parameter a 400 naming it', async (t) => {
    for (const headers of [{}, bearer('wrong'), { authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}` }]) {
      const refused = await call(url(), 'GET', '/chain/verify', { headers })
      t.equal(refused.status, 401, JSON.stringify(headers))
      t.equal(refused.body.error.code, 'unauthorized')
      t.equal(refused.headers['www-authenticate'], 'Bearer, Basic realm="daslog"')
    }
    const at = new Date()
    const signed = { 'webhook-id': 'msg_v', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(signingSecret).sign('msg_v', at, '') }
    t.equal((await call(url(), 'GET', '/chain/verify', { headers: signed })).status, 401, 'a webhook signature lets in a POST only')
    const without = await daslog('verify', '--server', url())
    t.equal(without.code, 1)
    t.match(without.err, [/^daslog: the collector answered 401: give Authorization: Bearer/])
    t.equal((await daslog('verify', '--server', url(), '--token', 't-old')).code, 0, 'either rotated token')

    const cases: Array<[string, RegExp]> = [
      ['from=0', /^from: expected a seq \(a whole number from 1\), got "0"/],
      ['from=x', /^from: .*got "x"/],
      ['from=1&from=2', /^from: given 2 times/],
      ['expect=8', /^expect: expected <seq>:<sha-256 hex>/],
      [`expect=2:${'a'.repeat(64)}&from=3`, /^expect: the anchored seq 2 is before from=3/],
      ['chain_key=', /^chain_key: expected a non-empty key/],
      [`chain_key=${'k'.repeat(201)}`, /^chain_key: expected a non-empty key of at most 200 characters/],
      ['chainkey=tenant', /^"chainkey": not a parameter of \/chain\/verify; it takes chain_key, from, expect/]
    ]
    for (const [query, message] of cases) {
      const answer = await call(url(), 'GET', `/chain/verify?${query}`, { headers: bearer() })
      t.equal(answer.status, 400, query)
      t.equal(answer.body.error.code, 'invalid_parameter', query)
      t.match(answer.body.error.message, message, query)
    }
    const wrongMethod = await call(url(), 'POST', '/chain/verify', { headers: bearer() })
    t.same([wrongMethod.status, wrongMethod.headers.allow], [405, 'GET'])
    t.match((await call(url(), 'GET', '/metrics')).text, /daslog_serve_store_seconds_count\{operation="verify",outcome="ok"\} [1-9]/)
  })
}

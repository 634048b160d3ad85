// How a chained insert stores a batch (src/store/chain-insert.ts), on the local PostgreSQL
// server: the quick way (rows predicted and digested before the transaction) when every
// prediction holds, the sure way (PostgreSQL's own text read back) when one does not, and
// the chain verified after each.
import t, { type Test } from 'tap'
import type { Driver, Query } from '../../src/store/driver.js'
import { insertChained, type ChainTarget } from '../../src/store/chain-insert.js'
import { pgDriver } from '../../src/store/pg-driver.js'
import { tableSql } from '../../src/store/schema.js'
import { openStore, type Store, type StoredEvent } from '../../src/store/index.js'
import { freshDatabase, idOf, sql } from './helpers.js'

const url = await freshDatabase(t)

/** A driver that keeps the text of every statement run in a transaction, and may change the staged batch's JSON on its way. */
function watched (t: Test, stage: (json: string) => string = (json) => json): { driver: Driver, statements: string[] } {
  const inner = pgDriver(url)
  t.teardown(() => inner.close())
  const statements: string[] = []
  const driver: Driver = {
    ...inner,
    transaction: async (work) => await inner.transaction(async (query) => await work((async (text: string, params: readonly unknown[]) => {
      statements.push(text)
      return await query(text, text.startsWith('INSERT INTO pg_temp.daslog_chain_batch') ? [stage(params[0] as string)] : params)
    }) as Query))
  }
  return { driver, statements }
}

async function chainStore (t: Test, table: string): Promise<{ store: Store, target: ChainTarget }> {
  const store = await openStore(url, { table, chain: true })
  t.teardown(() => store.close())
  await store.migrate()
  return { store, target: { table, tableName: tableSql(table), chainKey: 'default', lockTimeoutMs: 5_000, heads: new Map() } }
}

const record = (n: number, fields: Record<string, unknown> = {}): StoredEvent =>
  ({ event_id: idOf(n), time: 1_772_366_400_123 + n, level: 30, event: 'payment_process_success', correlation_id: `c-${n}`, order: { b: 1, aa: 2 }, amount: 12.5, ...fields })

const wentSureWay = (statements: readonly string[]): boolean => statements.some((text) => text.includes('ORDER BY r.n'))
/** The chain's head read in a statement of its own (not only checked inside the insert). */
const readTheHead = (statements: readonly string[]): boolean => statements.some((text) => text.startsWith('SELECT t.seq::text'))

t.test('the quick way: a batch predicted, staged, linked under the lock, verified; nothing read back', async (t) => {
  const { store, target } = await chainStore(t, 'quick')
  const { driver, statements } = watched(t)
  const records = Array.from({ length: 500 }, (_, i) => record(i + 1))
  t.equal(await insertChained(driver, target, records, undefined), 500)
  t.notOk(wentSureWay(statements), 'PostgreSQL\'s text was not read back')
  t.match(await store.verify(), { ok: true, rows: 500, head: { seq: '500' } })
  const [row] = await sql<{ data: string, time: string }>(url, `SELECT data::text AS data, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS time FROM quick WHERE seq = 1`)
  t.same(row, { data: '{"order": {"b": 1, "aa": 2}, "amount": 12.5}', time: '2026-03-01T12:00:00.124000' })
})

t.test('a prediction PostgreSQL prints otherwise: that batch goes the sure way, every row stored, the chain verified', async (t) => {
  const { store, target } = await chainStore(t, 'mispredicted')
  t.equal(await store.insert([record(1)]).then((result) => result.inserted), 1, 'a row before, so the batch links to a head')
  // As if the prediction had the keys in another order than jsonb prints them: PostgreSQL stores the same value and prints it otherwise.
  const { driver, statements } = watched(t, (json) => json.replace('{"b": 1, "aa": 2}', '{"aa": 2, "b": 1}'))
  const records = Array.from({ length: 20 }, (_, i) => record(i + 2))
  t.equal(await insertChained(driver, target, records, undefined), 20)
  t.ok(wentSureWay(statements), 'the records were read through PostgreSQL\'s casts')
  t.match(await store.verify(), { ok: true, rows: 21, head: { seq: '21' } })
  t.same((await store.query({ correlationId: 'c-2' })).events.map((event) => event.order), [{ b: 1, aa: 2 }])
})

t.test('records that cannot be predicted are stored the sure way and verify, in a batch with ones that can', async (t) => {
  const { store, target } = await chainStore(t, 'unpredicted')
  const odd: Array<[string, Record<string, unknown>]> = [
    ['a time with microseconds and an offset', { time: '2026-03-01T14:00:00.123456+02:00' }],
    ['a number with an exponent', { big: 1e21, small: 1e-7 }],
    ['a key outside ASCII', { 'ключ': 'значение' }],
    ['U+0000 in a field', { note: 'a\u0000b' }],
    ['U+0000 in the correlation id', { correlation_id: 'c\u0000d' }]
  ]
  let n = 100
  for (const [what, fields] of odd) {
    const { driver, statements } = watched(t)
    const records = [record(n++), record(n++, fields), record(n++)]
    t.equal(await insertChained(driver, target, records, undefined), 3, what)
    t.ok(wentSureWay(statements), `${what}: the sure way`)
  }
  t.match(await store.verify(), { ok: true, rows: 15, head: { seq: '15' } })
  const stored = (await store.query({ limit: 100 })).events
  t.equal(stored.find((event) => event.event_id === idOf(104))!.big, 1e21)
  t.equal(stored.find((event) => event.event_id === idOf(107))!['ключ'], 'значение')
  t.equal(stored.find((event) => event.event_id === idOf(110))!.note, 'a\ufffdb')
  t.equal(stored.find((event) => event.event_id === idOf(101))!.time, '2026-03-01T12:00:00.123Z')
})

t.test('a batch with records stored already (a retry): those are left out, the rest numbered without a gap', async (t) => {
  const { store, target } = await chainStore(t, 'retried')
  t.same(await store.insert([record(1), record(2), record(3)]), { inserted: 3, duplicates: 0 })
  const { driver, statements } = watched(t)
  t.equal(await insertChained(driver, target, [record(2), record(3), record(4), record(4)], undefined), 1)
  t.ok(statements.some((text) => text.startsWith('INSERT INTO pg_temp.daslog_chain_batch')), 'the quick way was tried first')
  t.ok(wentSureWay(statements), 'its insert hit the stored records (the primary key), so the sure way left them out')
  t.match(await store.verify(), { ok: true, rows: 4, head: { seq: '4' } })
  const seqs = await sql<{ seq: string, id: string }>(url, 'SELECT seq::text AS seq, event_id::text AS id FROM retried ORDER BY seq')
  t.same(seqs, [1, 2, 3, 4].map((n) => ({ seq: String(n), id: idOf(n) })))
})

t.test('the head this writer left is linked from without reading it; a head another writer moved is read, and the chain stays whole', async (t) => {
  const { store, target } = await chainStore(t, 'known_head')
  const first = watched(t)
  t.equal(await insertChained(first.driver, target, [record(1), record(2)], undefined), 2)
  t.ok(readTheHead(first.statements), 'a head not known yet is read')
  const verified = await store.verify()
  t.same(target.heads.get('default'), { seq: '2', hash: verified.ok ? verified.head?.hash : 'not verified' }, 'the head it left is known')

  const second = watched(t)
  t.equal(await insertChained(second.driver, target, [record(3), record(4)], undefined), 2)
  t.notOk(readTheHead(second.statements), 'the known head was checked inside the insert, not read')

  // Another writer (another process: a store of its own) moves the head.
  t.same(await store.insert([record(5)]), { inserted: 1, duplicates: 0 })
  const third = watched(t)
  t.equal(await insertChained(third.driver, target, [record(6), record(7)], undefined), 2)
  t.ok(readTheHead(third.statements), 'the known head was not the head any more, so it was read')
  t.match(await store.verify(), { ok: true, rows: 7, head: { seq: '7' } })
  const seqs = await sql<{ seq: string, id: string }>(url, 'SELECT seq::text AS seq, event_id::text AS id FROM known_head ORDER BY seq')
  t.same(seqs, [1, 2, 3, 4, 5, 6, 7].map((n) => ({ seq: String(n), id: idOf(n) })))
})

// The store's behaviour, run the same on a PostgreSQL server and on the
// embedded store (test/store/server.test.ts, test/store/embedded.test.ts).
import type { Test } from 'tap'
import { StoreError, openStore, type Store, type StoredEvent, type StoreOptions } from '../../src/store/index.js'
import { idOf } from './helpers.js'

/** Opens a store on a table of its own, migrated; the suite closes it. */
export type OpenStore = (table: string, options?: StoreOptions) => Promise<Store>

async function opened (t: Test, open: OpenStore, table: string, options: StoreOptions = {}): Promise<Store> {
  const store = await open(table, options)
  t.teardown(() => store.close())
  await store.migrate()
  return store
}

/** Every page of a filter, in order. */
async function allPages (store: Store, filter: Parameters<Store['query']>[0] = {}): Promise<{ pages: StoredEvent[][], events: StoredEvent[] }> {
  const pages: StoredEvent[][] = []
  let after: string | undefined
  do {
    const { events, next } = await store.query({ ...filter, ...(after === undefined ? {} : { after }) })
    pages.push(events)
    after = next ?? undefined
  } while (after !== undefined)
  return { pages, events: pages.flat() }
}

export function storeSuite (t: Test, open: OpenStore): void {
  t.test('migrate twice; insert; a record again is a duplicate; events come back as logged', async (t) => {
    const store = await opened(t, open, 'basics')
    await store.migrate()
    const record = { event_id: idOf(1), time: 1_700_000_000_123, level: 30, event: 'payment_process_success', msg: 'payment_process_success', correlation_id: 'c-1', service: 'shop', order_id: 'o-1', amount: 12.5, tags: ['a'], nested: { deep: { x: 1 } } }
    t.same(await store.insert([record, { event_id: idOf(2), event: 'auth_login_success', time: '2023-11-14T22:13:20Z', level: 'warn', user_id: 'u1' }]), { inserted: 2, duplicates: 0 })
    t.same(await store.insert([record, { ...record, event_id: idOf(3) }, { ...record, event_id: idOf(3) }]), { inserted: 1, duplicates: 2 }, 'stored ones and a repeat inside the batch count as duplicates')
    const { events, next } = await store.query({ correlationId: 'c-1' })
    t.same(events, [
      { event_id: idOf(3), time: '2023-11-14T22:13:20.123Z', level: 30, event: 'payment_process_success', correlation_id: 'c-1', service: 'shop', order_id: 'o-1', amount: 12.5, tags: ['a'], nested: { deep: { x: 1 } } },
      { event_id: idOf(1), time: '2023-11-14T22:13:20.123Z', level: 30, event: 'payment_process_success', correlation_id: 'c-1', service: 'shop', order_id: 'o-1', amount: 12.5, tags: ['a'], nested: { deep: { x: 1 } } }
    ])
    t.equal(next, null)
    t.same((await store.query({ event: 'auth_login_success' })).events, [{ event_id: idOf(2), time: '2023-11-14T22:13:20.000Z', level: 40, event: 'auth_login_success', user_id: 'u1' }])
    await t.rejects(store.insert([{ event: 'a_b_c', event_id: 'not-a-uuid' }]), { name: 'StoreError', option: 'records[0].event_id' })
    t.same(await store.insert([]), { inserted: 0, duplicates: 0 })
  })

  t.test('filters: event names, globs with a literal _, lists, correlation id, level, time (zones, both ends), where as text', async (t) => {
    const store = await opened(t, open, 'filters')
    const base = Date.parse('2026-03-01T12:00:00Z')
    const records = [
      { event: 'auth_login_success', level: 30, seq: 7, user: { id: 'u1' }, ok: true },
      { event: 'auth_login_failed', level: 40, seq: '7', user: { id: 'u2' }, ok: false },
      { event: 'authz_login_failed', level: 50, seq: 8, user: { id: 'u1' } },
      { event: 'payment_process_failed', level: 50, seq: 70, correlation_id: 'c-9', user: { id: 'u3' } },
      { event: 'payment_process_success', level: 30, seq: 7.5, correlation_id: 'c-9' }
    ].map((record, i) => ({ ...record, event_id: idOf(100 + i), time: base + i * 60_000 }))
    await store.insert(records)
    const ids = async (filter: Parameters<Store['query']>[0]): Promise<number[]> =>
      (await store.query(filter)).events.map((event) => records.findIndex((record) => record.event_id === event.event_id))
    t.same(await ids({}), [4, 3, 2, 1, 0], 'newest first')
    t.same(await ids({ event: 'auth_*' }), [1, 0], '_ is an underscore, not any character')
    t.same(await ids({ event: ['*_failed', 'payment_process_success'] }), [4, 3, 2, 1])
    t.same(await ids({ event: 'auth_login_success' }), [0])
    t.same(await ids({ correlationId: 'c-9' }), [4, 3])
    t.same(await ids({ level: 'warn' }), [3, 2, 1])
    t.same(await ids({ from: new Date(base + 60_000), to: '2026-03-01T12:03:00Z' }), [3, 2, 1], 'both ends included')
    t.same(await ids({ from: '2026-03-01T13:01:00+01:00', to: '2026-03-01T07:03:00-05:00' }), [3, 2, 1], 'offsets are honoured')
    t.same(await ids({ from: '2026-03-01T12:01:00', to: '2026-03-01T12:03:00.000000' }), [3, 2, 1], 'no zone reads as UTC')
    t.same(await ids({ where: { seq: '7' } }), [1, 0], 'the number 7 and the string "7", compared as text')
    t.same(await ids({ where: { seq: 7.5 } }), [4])
    t.same(await ids({ where: { 'user.id': 'u1' } }), [2, 0], 'dotted names reach nested fields')
    t.same(await ids({ where: { 'user.id': 'u1', seq: 8 } }), [2])
    t.same(await ids({ where: { ok: 'false' } }), [1])
    t.same(await ids({ where: { ok: true } }), [0])
    t.same(await ids({ event: 'auth_*', level: 'error' }), [])
    await t.rejects(store.query({ level: 'loud' as 'warn' }), { name: 'StoreError', option: 'filter.level' })
    await t.rejects(store.query({ from: 'yesterday' }), { name: 'StoreError', option: 'filter.from' })
    await t.rejects(store.query({ event: 'auth; drop' }), { name: 'StoreError', option: 'filter.event' })
    await t.rejects(store.query({ limit: 0 }), { name: 'StoreError', option: 'filter.limit' })
    await t.rejects(store.query({ after: 'bogus' }), { name: 'StoreError', option: 'filter.after' })
  })

  t.test('hostile field names and values are data, never SQL', async (t) => {
    const store = await opened(t, open, 'hostile')
    const names = ["x'); DROP TABLE hostile; --", 'a"b', "data->>'x'", '$1', 'é ü 🙂', 'back\\slash', '__proto__', 'constructor']
    const values = ["'; DELETE FROM hostile; --", '%', '_', '*', 'line\nbreak', 'nul\u0000here', '\\u0000', '🙂']
    const records = names.flatMap((name, i) => values.map((value, j) => ({ event_id: idOf(1000 + i * 100 + j), event: 'hostile_value_set', time: 1_700_000_000_000 + i * 100 + j, [name]: value })))
    t.same(await store.insert(records), { inserted: records.length, duplicates: 0 })
    for (const [i, name] of names.entries()) {
      for (const [j, value] of values.entries()) {
        const { events } = await store.query({ where: { [name]: value.replace('\u0000', '\ufffd') } })
        t.same(events.map((event) => event.event_id), [idOf(1000 + i * 100 + j)], `${JSON.stringify(name)} = ${JSON.stringify(value)}`)
      }
    }
    const { events } = await store.query({ event: 'hostile_*', limit: 1000 })
    t.equal(events.length, records.length, 'the table is whole')
    t.equal(events.find((event) => event.event_id === idOf(1005))!['x\'); DROP TABLE hostile; --'], 'nul\ufffdhere', 'a NUL is stored as U+FFFD')
    t.equal(events.find((event) => event.event_id === idOf(1006))!['x\'); DROP TABLE hostile; --'], '\\u0000', 'an escaped backslash before u0000 stays text')
    const proto = events.find((event) => event.event_id === idOf(1000 + 6 * 100))!
    t.equal(Object.getPrototypeOf(proto), Object.prototype, 'a field named __proto__ sets no prototype')
    t.same(Object.entries(proto).slice(-1), [['__proto__', values[0]]], 'and comes back as a field')
  })

  t.test('chain: rows numbered in order, repeats never numbered, verified; a chain per key; unchained rows beside them', async (t) => {
    const store = await opened(t, open, 'chained', { chain: true })
    const record = (n: number, fields: Record<string, unknown> = {}): StoredEvent => ({ event_id: idOf(n), event: 'payment_process_success', level: 30, time: `2026-01-01T00:00:00.00000${n}Z`, ...fields })
    t.same(await store.insert([record(1, { amount: 5, nested: { b: 1, a: [1.5, 'é\n'] } }), record(2), record(1)]), { inserted: 2, duplicates: 1 })
    t.same(await store.insert([record(2), record(3, { correlation_id: 'c-1', service: 'shop' })]), { inserted: 1, duplicates: 1 }, 'a retried record is left out before numbering')
    const whole = await store.verify()
    t.match(whole, { ok: true, rows: 3, head: { seq: '3', hash: /^[0-9a-f]{64}$/ } })
    const head = (whole as { head: { seq: string, hash: string } }).head
    // Times in milliseconds, as the transport writes them: the quick way (test/store/chain-insert.test.ts), linked to the head the sure way left.
    const quick = Array.from({ length: 50 }, (_, i) => ({ event_id: idOf(200 + i), event: 'payment_process_success', level: 30, time: 1_772_366_400_000 + i, amount: i / 10, tags: { b: 1, aa: [true, null] } }))
    t.same(await store.insert(quick, { chainKey: 'quick' }), { inserted: 50, duplicates: 0 })
    t.same(await store.insert(quick.slice(40), { chainKey: 'quick' }), { inserted: 0, duplicates: 10 }, 'stored ones are not numbered again')
    t.match(await store.verify({ chainKey: 'quick' }), { ok: true, rows: 50, head: { seq: '50' } })
    t.same(await store.insert([record(4)], { chainKey: 'tenant-a' }), { inserted: 1, duplicates: 0 })
    t.same(await store.insert([record(5)], { chain: false }), { inserted: 1, duplicates: 0 })
    t.match(await store.verify({ chainKey: 'tenant-a' }), { ok: true, rows: 1, head: { seq: '1' } })
    t.same(await store.verify(), whole, 'the other chain and the unchained row leave the default chain as it was')
    t.equal((await store.query({ limit: 1000 })).events.length, 55, 'queries see every row')
    t.match(await store.verify({ from: 2, expect: `3:${head.hash}` }), { ok: true, rows: 2 })
    t.match(await store.verify({ expect: { seq: '4', hash: head.hash } }), { ok: false, rows: 3, problem: { event_id: idOf(3), seq: '3', reason: /the chain ends at seq 3, before the anchored seq 4/ } })
    t.match(await store.verify({ expect: `2:${head.hash}` }), { ok: false, problem: { event_id: idOf(2), reason: /hash differs from the anchored 2:/ } })
    await t.rejects(store.insert([record(6)], { chainKey: '' }), { name: 'StoreError', option: 'chainKey' })
    await t.rejects(store.verify({ from: 0 }), { name: 'StoreError', option: 'from' })
    await t.rejects(store.verify({ expect: '3:abc' }), { name: 'StoreError', option: 'expect' })
    await t.rejects(openStore({ dir: '' }, { chain: 'yes' as unknown as boolean }), { name: 'StoreError', option: 'chain' })
  })

  t.test('pagination: every row once, newest first, microsecond times, stable under inserts while paging', async (t) => {
    const store = await opened(t, open, 'pages')
    // 230 rows: groups share a millisecond and differ in microseconds, and some share the exact time (the event id orders them).
    const records = Array.from({ length: 230 }, (_, i) => ({
      event_id: idOf(5000 + i),
      event: 'page_row_made',
      time: `2026-05-01T00:00:00.${String(Math.floor(i / 3) * 7).padStart(6, '0')}Z`,
      i
    }))
    await store.insert(records)
    const first = await store.query({ limit: 40 })
    t.equal(first.events.length, 40)
    // Newer rows arrive while the reader pages.
    await store.insert(Array.from({ length: 25 }, (_, i) => ({ event_id: idOf(9000 + i), event: 'page_row_made', time: '2026-05-02T00:00:00Z', i: 1000 + i })))
    const rest = await allPages(store, { limit: 40, after: first.next! })
    const seen = [...first.events, ...rest.events].map((event) => event.i as number)
    t.same(seen, records.map((record) => record.i).reverse(), 'each old row once, newest first (equal times by event id)')
    t.equal(rest.pages.at(-1)!.length, 230 - 40 * 5, 'the last page is short and has no next')
    const everything = await allPages(store, { limit: 1000 })
    t.equal(everything.events.length, 255)
    t.equal((await store.query()).events.length, 100, 'default limit 100')
    t.equal((await store.query({ limit: 5000 })).events.length, 255, 'above 1000 reads as 1000')
  })
}

/** An error the suite expects, for typing `t.rejects` patterns. */
export type { StoreError }

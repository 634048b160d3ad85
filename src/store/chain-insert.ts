import { hash } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Catalog } from '../catalog/types.js'
import type { Driver, Query } from './driver.js'
import { canonicalColumnsSql, canonicalRowOf, genesisHash, linkHash, quotedColumns, rowDigest, storedTimeSql, type CanonicalRow, type QuotedColumns } from './chain.js'
import { insertRow, insertRows, recordsetColumns, rowsJson, type InsertRow, type StoredEvent } from './rows.js'
import { storedForms, storedTime } from './stored-text.js'

/** How a chained insert runs: its table (as SQL, and as named for the lock), its chain, how long it waits for the chain's lock. */
export interface ChainTarget {
  readonly table: string
  readonly tableName: string
  readonly chainKey: string
  readonly lockTimeoutMs: number
  /** The heads the store's own inserts left, by chain (`KnownHeads`). */
  readonly heads: KnownHeads
}

/** A chain's head: its last seq (as text: a bigint) and that row's hash; seq 0 and the genesis hash for a chain not started. */
interface Head {
  readonly seq: string
  readonly hash: string
}

/**
 * Where each chain's head was when the store's last insert into it
 * returned, by chain key. A batch links from it under the lock without
 * reading the head first (one statement fewer while every other writer
 * waits), and its insert stores nothing unless the head is still that: a
 * writer in another process, or an insert of this store that did not
 * commit, sends it the reading way.
 */
export type KnownHeads = Map<string, Head>

/**
 * Inserts rows at the head of a chain, in one transaction. The hash covers
 * what PostgreSQL stores, not what JavaScript holds: the time with its
 * microseconds, jsonb's numbers and key order, the uuid lowercased.
 *
 * A chain has one head, so its writers take turns (a lock); what can be done
 * before the turn is. The quick way, taken for what the transport and the
 * collector write: each row's stored text is predicted here
 * (stored-text.ts) and digested before the transaction; before the lock,
 * PostgreSQL parses the batch into a temporary table, keeping a row only
 * where its own text of the stored time and data is the predicted text.
 * When it kept them all, the turn is short: link the digests from the head
 * (the one this store's last insert left, checked inside the insert, or
 * else read), insert from the temporary table. Otherwise (or when a batch
 * cannot be predicted) the sure way: the records read through PostgreSQL's
 * casts (`canonicalColumnsSql`) and digested, those already stored left out
 * under the lock, then numbered and inserted. A record stored already (a
 * retried batch whose commit did reach the database, a replayed dead
 * letter) fails the quick way's insert on the primary key, and the batch
 * goes the sure way in a transaction of its own: rare, so the quick way does
 * not look each record up first (that cost 6 % of its time in PostgreSQL).
 *
 * Under concurrency: READ COMMITTED (set, whatever the server's default: a
 * REPEATABLE READ snapshot taken before the lock would read an old head and
 * fork the chain), a transaction-scoped advisory lock per table and chain
 * (released by COMMIT or ROLLBACK, so the head never moves for rows that did
 * not commit), `lock_timeout` so a stuck writer fails the others' attempts
 * (they retry) instead of blocking them for ever, and the head read or
 * checked in a statement after the lock's; no seq is ever skipped. A record
 * stored by a writer outside the chain (which takes no lock) between the
 * sure way's look-up and its insert fails the batch (unique violation), and
 * its retry leaves that record out.
 */
export async function insertChained (driver: Driver, target: ChainTarget, records: readonly StoredEvent[], catalog: Catalog | undefined): Promise<number> {
  const sureWay = async (query: Query): Promise<number> => await insertRead(query, target, rowsJson(insertRows(records, catalog)))
  const predicted = await predict(records, catalog)
  if (predicted === undefined) return await chainTransaction(driver, target, sureWay)
  try {
    return await chainTransaction(driver, target, async (query) => await staged(query, predicted) ? await insertStaged(query, target, predicted.digests) : await sureWay(query))
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }
  return await chainTransaction(driver, target, sureWay)
}

/** `work` in a transaction set up for the chain: READ COMMITTED, the chain's `lock_timeout`. */
async function chainTransaction (driver: Driver, target: ChainTarget, work: (query: Query) => Promise<number>): Promise<number> {
  return await driver.transaction(async (query) => {
    await query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED', [])
    // client_min_messages: the temporary table's CREATE ... IF NOT EXISTS says it exists, as a notice, every time but the first.
    await query("SELECT set_config('lock_timeout', $1, true), set_config('client_min_messages', 'warning', true)", [`${target.lockTimeoutMs}ms`])
    return await work(query)
  })
}

/** A unique violation (23505), from node-postgres and PGlite alike: a record of the batch is stored already. */
const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === '23505'

/** The quick way's turn: the staged rows linked from the head and inserted. */
async function insertStaged (query: Query, target: ChainTarget, digests: readonly string[]): Promise<number> {
  await takeLock(query, target)
  const from = stagedFrom('$3')
  const known = target.heads.get(target.chainKey)
  if (known !== undefined) {
    const linked = links(known, digests)
    const { rowCount } = await query(`${insertHead(target)}
${from} WHERE (${headSql(target)}) = $4`, [target.chainKey, known.seq, linked.hashes, `${known.seq}:${known.hash}`])
    if (rowCount > 0) return advanced(target, linked.head, rowCount)
  }
  const head = await readHead(query, target)
  const linked = links(head, digests)
  return advanced(target, linked.head, (await query(`${insertHead(target)}\n${from}`, [target.chainKey, head.seq, linked.hashes])).rowCount)
}

/** The staged rows `r` linked by `h` (the `links` array `param`). */
const stagedFrom = (param: string): string => `FROM ${linksSql(param)} JOIN pg_temp.daslog_chain_batch AS r ON r.n = h.k`

/** The chain's head, known now (`KnownHeads`) to be the last of the `count` rows just inserted; the count. */
function advanced (target: ChainTarget, head: Head, count: number): number {
  target.heads.set(target.chainKey, head)
  return count
}

/** The sure way: the records (`json`) read through PostgreSQL's casts and digested; under the lock, those stored already left out before numbering, the rest linked and inserted. */
async function insertRead (query: Query, target: ChainTarget, json: string): Promise<number> {
  const digests = await readDigests(query, json)
  await takeLock(query, target)
  const head = await readHead(query, target)
  // Stored already (a retried batch whose commit did reach the database, a retry racing its original).
  const stored = await query<{ event_id: string }>(`SELECT event_id::text AS event_id FROM ${target.tableName} WHERE event_id = ANY($1::uuid[])`, [[...digests.keys()]])
  for (const { event_id: id } of stored.rows) digests.delete(id)
  if (digests.size === 0) return 0
  const places: number[] = []
  const found: string[] = []
  for (const { n, digest } of digests.values()) {
    places.push(n)
    found.push(digest)
  }
  const linked = links(head, found)
  const { rowCount } = await query(`${insertHead(target)}
FROM ${linksSql('$5')} JOIN unnest($4::int[]) WITH ORDINALITY AS p(n, k) ON p.k = h.k
JOIN ${recordsetSql} ON r.n = p.n`,
  [target.chainKey, head.seq, json, places, linked.hashes])
  return advanced(target, linked.head, rowCount)
}

/** The records of `rowsJson` (the parameter `param`) as rows `r`, numbered `n` from 1 in the batch's order. */
const recordsetOf = (param: string): string => `ROWS FROM (jsonb_to_recordset(${param}::jsonb) AS (${recordsetColumns})) WITH ORDINALITY AS r(event_id, time, level, event, domain, action, status, correlation_id, service, data, n)`
const recordsetSql = recordsetOf('$3')

/** A batch digested before it reached the database: the records kept (the first of each event_id) as one JSON array of `stagedRow`s, and the digest of each. */
interface Predicted {
  readonly json: string
  readonly digests: string[]
}

/**
 * Rows predicted in one turn of the event loop. Another batch's turn at the
 * chain's lock waits on this thread (its head read, its links, its insert
 * sent) while the lock keeps every other writer out: a whole batch predicted
 * at once held that turn up by the batch's time (10-25 ms for 1,000 records
 * under load), slices of 100 by well under a millisecond.
 */
const predictSlice = 100

/**
 * The batch predicted and digested, the first record of each event_id kept;
 * undefined when a record's stored text cannot be predicted (a text holding
 * U+0000, which `rowsJson` turns into U+FFFD, among them).
 */
async function predict (records: readonly StoredEvent[], catalog: Catalog | undefined): Promise<Predicted | undefined> {
  const now = new Date().toISOString()
  const seen = new Set<string>()
  // The rows' JSON joined a slice at a time, before the turn: a row's text is a tree of the pieces it was written from
  // until something flattens it, and trees kept across turns are copied by every scavenge.
  const slices: string[] = []
  let slice: string[] = []
  const digests: string[] = []
  for (let i = 0; i < records.length; i++) {
    if (i > 0 && i % predictSlice === 0) {
      if (slice.length > 0) slices.push(slice.join(','))
      slice = []
      await nextTurn()
    }
    // Each row made here and dropped at once (the sure way makes them again): a batch's rows kept across the
    // slices' turns outlive the young generation, and copying them in every scavenge costs more than the rows.
    const row = insertRow(records[i]!, i, catalog, now)
    const id = row.event_id.toLowerCase()
    if (seen.has(id)) continue
    seen.add(id)
    const time = storedTime(row.time)
    const data = storedForms(row.data)
    if (time === undefined || data === undefined || holdsNul(row)) return undefined
    const { event, domain, action, status, correlation_id: correlationId, service } = row
    // The same quoting as for a row read back (verify's): one definition of the canonical row.
    const q = quotedColumns({ event_id: id, time, level: row.level === null ? null : String(row.level), event, domain, action, status, correlation_id: correlationId, service })
    slice.push(stagedRow(q, data.stored))
    digests.push(hash('sha256', canonicalRowOf(q, data.canonical)))
  }
  if (slice.length > 0) slices.push(slice.join(','))
  return { json: `[${slices.join(',')}]`, digests }
}

const holdsNul = (row: InsertRow): boolean => row.event.includes('\0') || hasNul(row.domain) || hasNul(row.action) || hasNul(row.status) || hasNul(row.correlation_id) || hasNul(row.service)
const hasNul = (text: string | null): boolean => text !== null && text.includes('\0')

/**
 * A row's JSON for `staged`: its time and its data written as PostgreSQL
 * will print them (the data as a JSON value, read back as its text). Keys of
 * one letter, in the order of `stagedColumns`: a fifth of the batch's bytes,
 * which the worker sends and PostgreSQL parses.
 */
const stagedRow = (q: QuotedColumns, storedData: string): string =>
  `{"i":${q.event_id},"t":${q.time},"l":${q.level},"e":${q.event},"d":${q.domain},"a":${q.action},"s":${q.status},"c":${q.correlation_id},"v":${q.service},"x":${storedData}}`

/** The keys of `stagedRow`, as `json_to_recordset` reads them (the time and data as their text), named by `staged`. */
const stagedColumns = 'i uuid, t text, l smallint, e text, d text, a text, s text, c text, v text, x text'

/**
 * The predicted rows parsed into `pg_temp.daslog_chain_batch` (numbered `n`
 * from 1; a table of the connection's, emptied at every commit), each only
 * where PostgreSQL prints its stored time and data as the very text sent
 * (`json_to_recordset` hands a field's text over as written): true when
 * every row was.
 */
async function staged (query: Query, predicted: Predicted): Promise<boolean> {
  await query(`CREATE TEMPORARY TABLE IF NOT EXISTS daslog_chain_batch (n bigint, ${recordsetColumns}) ON COMMIT DELETE ROWS`, [])
  const { rowCount } = await query(`INSERT INTO pg_temp.daslog_chain_batch
SELECT r.n, r.event_id, v.time, r.level, r.event, r.domain, r.action, r.status, r.correlation_id, r.service, v.data
FROM ROWS FROM (json_to_recordset($1::json) AS (${stagedColumns})) WITH ORDINALITY
  AS r(event_id, time, level, event, domain, action, status, correlation_id, service, data, n)
CROSS JOIN LATERAL (SELECT r.time::timestamptz AS time, r.data::jsonb AS data OFFSET 0) AS v
WHERE ${storedTimeSql('v.time')} = r.time AND v.data::text = r.data`, [predicted.json])
  return rowCount === predicted.digests.length
}

/** The chain's lock: its head is read, or checked, after it, in a statement of its own. */
async function takeLock (query: Query, target: ChainTarget): Promise<void> {
  await query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`daslog chain ${target.table} ${target.chainKey}`])
}

/** The chain's head, as `seq:hash` (NULL for a chain not started), chain $1. */
// ORDER BY t.seq, the bigint: `seq` alone would be the text the SELECT makes of it (pg reads a bigint as a string), and '9' > '10'.
const headSql = (target: ChainTarget): string =>
  `SELECT t.seq::text || ':' || t.hash AS head FROM ${target.tableName} AS t WHERE t.chain_key = $1 AND t.seq IS NOT NULL ORDER BY t.seq DESC LIMIT 1`

/** The chain's head, read. */
async function readHead (query: Query, target: ChainTarget): Promise<Head> {
  const head = (await query<{ head: string }>(headSql(target), [target.chainKey])).rows[0]?.head
  if (head === undefined) return { seq: '0', hash: genesisHash }
  const colon = head.indexOf(':')
  return { seq: head.slice(0, colon), hash: head.slice(colon + 1) }
}

/**
 * The INSERT of both ways and its SELECT list: the rows `r`, linked by `h`
 * (`linksSql`) after the head seq $2, in the chain $1. No ON CONFLICT: a
 * row skipped after numbering would leave a gap.
 */
const insertHead = (target: ChainTarget): string => `INSERT INTO ${target.tableName} (event_id, time, level, event, domain, action, status, correlation_id, service, data, chain_key, seq, prev_hash, hash)
SELECT r.event_id, r.time, r.level, r.event, r.domain, r.action, r.status, r.correlation_id, r.service, r.data, $1, $2::bigint + h.k, h.prev_hash, h.hash`

/**
 * The rows linked in order from `prevHash`: one PostgreSQL array literal of
 * `prevHash` and then each row's hash (hex: nothing in them to quote), so a
 * row's `prev_hash` is the item before its `hash` (`linksSql`) and no hash
 * is sent twice.
 */
function links (from: Head, digests: readonly string[]): { hashes: string, head: Head } {
  let prevHash = from.hash
  const hashes = [prevHash]
  for (const digest of digests) {
    prevHash = linkHash(prevHash, digest)
    hashes.push(prevHash)
  }
  return { hashes: `{${hashes.join(',')}}`, head: { seq: String(BigInt(from.seq) + BigInt(digests.length)), hash: prevHash } }
}

/** The `links` array (`param`) as rows `h`: `prev_hash`, `hash`, numbered `k` from 1. */
const linksSql = (param: string): string =>
  `(SELECT p.prev_hash, n.hash, p.k FROM unnest(${param}::text[]) WITH ORDINALITY AS p(prev_hash, k) JOIN unnest(${param}::text[]) WITH ORDINALITY AS n(hash, k) ON n.k = p.k + 1) AS h`

/** The sure way's reading: the records through PostgreSQL's casts, digested, by event_id in the batch's order (the first of each). */
async function readDigests (query: Query, json: string): Promise<Map<string, { n: number, digest: string }>> {
  const { rows } = await query<CanonicalRow & { n: number }>(`SELECT r.n::int AS n, ${canonicalColumnsSql('r')} FROM ${recordsetOf('$1')} ORDER BY r.n`, [json])
  const digests = new Map<string, { n: number, digest: string }>()
  for (const row of rows) if (!digests.has(row.event_id)) digests.set(row.event_id, { n: row.n, digest: rowDigest(row) })
  return digests
}

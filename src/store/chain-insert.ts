import { hash } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Driver, Query } from './driver.js'
import { canonicalColumnsSql, canonicalRowOf, genesisHash, linkHash, quotedColumns, rowDigest, storedTimeSql, type CanonicalRow, type QuotedColumns } from './chain.js'
import type { Catalog } from '../catalog/types.js'
import { insertRow, insertRows, recordsetColumns, rowsJson, type InsertRow, type StoredEvent } from './rows.js'
import { storedForms, storedTime } from './stored-text.js'

/** How a chained insert runs: its table (as SQL, and as named for the lock), its chain, how long it waits for the chain's lock. */
export interface ChainTarget {
  readonly table: string
  readonly tableName: string
  readonly chainKey: string
  readonly lockTimeoutMs: number
}

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
 * When it kept them all, the turn is short: read the head, link the
 * digests, insert from the temporary table. Otherwise (or when a batch
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
 * (they retry) instead of blocking them for ever, and the head read in a
 * statement of its own after the lock; no seq is ever skipped. A record
 * stored by a writer outside the chain between the check and the insert
 * fails the batch (unique violation), and its retry leaves that record out.
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
  const { seq, prevHash } = await takeTurn(query, target)
  const [prevHashes, hashes] = links(prevHash, digests)
  const { rowCount } = await query(`${insertHead(target)}
FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS h(prev_hash, hash, k) JOIN pg_temp.daslog_chain_batch AS r ON r.n = h.k`,
  [target.chainKey, seq, arrayText(prevHashes), arrayText(hashes)])
  return rowCount
}

/** The sure way: the records (`json`) read through PostgreSQL's casts and digested; under the lock, those stored already left out before numbering, the rest linked and inserted. */
async function insertRead (query: Query, target: ChainTarget, json: string): Promise<number> {
  const digests = await readDigests(query, json)
  const { seq, prevHash } = await takeTurn(query, target)
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
  const [prevHashes, hashes] = links(prevHash, found)
  const { rowCount } = await query(`${insertHead(target)}
FROM unnest($4::int[], $5::text[], $6::text[]) WITH ORDINALITY AS h(n, prev_hash, hash, k)
JOIN ${recordsetSql} ON r.n = h.n`,
  [target.chainKey, seq, json, places, arrayText(prevHashes), arrayText(hashes)])
  return rowCount
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

/** A row's JSON for `staged`: its time and its data written as PostgreSQL will print them (the data as a JSON value, read back as its text). */
const stagedRow = (q: QuotedColumns, storedData: string): string =>
  `{"event_id":${q.event_id},"time":${q.time},"level":${q.level},"event":${q.event},"domain":${q.domain},"action":${q.action},"status":${q.status},"correlation_id":${q.correlation_id},"service":${q.service},"data":${storedData}}`

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
FROM ROWS FROM (json_to_recordset($1::json) AS (event_id uuid, time text, level smallint, event text, domain text, action text, status text, correlation_id text, service text, data text)) WITH ORDINALITY
  AS r(event_id, time, level, event, domain, action, status, correlation_id, service, data, n)
CROSS JOIN LATERAL (SELECT r.time::timestamptz AS time, r.data::jsonb AS data OFFSET 0) AS v
WHERE ${storedTimeSql('v.time')} = r.time AND v.data::text = r.data`, [predicted.json])
  return rowCount === predicted.digests.length
}

/** The chain's lock, then its head (seq 0 and the genesis hash for a chain not started). */
async function takeTurn (query: Query, target: ChainTarget): Promise<{ seq: string, prevHash: string }> {
  await query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`daslog chain ${target.table} ${target.chainKey}`])
  // ORDER BY t.seq, the bigint: `seq` alone would be the text the SELECT makes of it (pg reads a bigint as a string), and '9' > '10'.
  const head = (await query<{ seq: string, hash: string }>(
    `SELECT t.seq::text AS seq, t.hash FROM ${target.tableName} AS t WHERE t.chain_key = $1 AND t.seq IS NOT NULL ORDER BY t.seq DESC LIMIT 1`, [target.chainKey])).rows[0]
  return { seq: head?.seq ?? '0', prevHash: head?.hash ?? genesisHash }
}

/**
 * The INSERT of both ways and its SELECT list: the rows `r`, linked by `h`
 * (`prev_hash`, `hash`, numbered `k` from 1) after the head seq $2, in the
 * chain $1. No ON CONFLICT: a row skipped after numbering would leave a gap.
 */
const insertHead = (target: ChainTarget): string => `INSERT INTO ${target.tableName} (event_id, time, level, event, domain, action, status, correlation_id, service, data, chain_key, seq, prev_hash, hash)
SELECT r.event_id, r.time, r.level, r.event, r.domain, r.action, r.status, r.correlation_id, r.service, r.data, $1, $2::bigint + h.k, h.prev_hash, h.hash`

/** The rows' `prev_hash` and `hash`, linked in order from `prevHash`. */
function links (prevHash: string, digests: readonly string[]): [string[], string[]] {
  const prevHashes: string[] = []
  const hashes: string[] = []
  for (const digest of digests) {
    prevHashes.push(prevHash)
    prevHash = linkHash(prevHash, digest)
    hashes.push(prevHash)
  }
  return [prevHashes, hashes]
}

/** Hex strings as a PostgreSQL array literal (nothing in them to quote). */
const arrayText = (items: readonly string[]): string => `{${items.join(',')}}`

/** The sure way's reading: the records through PostgreSQL's casts, digested, by event_id in the batch's order (the first of each). */
async function readDigests (query: Query, json: string): Promise<Map<string, { n: number, digest: string }>> {
  const { rows } = await query<CanonicalRow & { n: number }>(`SELECT r.n::int AS n, ${canonicalColumnsSql('r')} FROM ${recordsetOf('$1')} ORDER BY r.n`, [json])
  const digests = new Map<string, { n: number, digest: string }>()
  for (const row of rows) if (!digests.has(row.event_id)) digests.set(row.event_id, { n: row.n, digest: rowDigest(row) })
  return digests
}

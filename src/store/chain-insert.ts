import type { Driver } from './driver.js'
import { canonicalColumnsSql, genesisHash, linkHash, rowDigest, type CanonicalRow } from './chain.js'
import { recordsetColumns } from './rows.js'

/** How a chained insert runs: its table (as SQL, and as named for the lock), its chain, how long it waits for the chain's lock. */
export interface ChainTarget {
  readonly table: string
  readonly tableName: string
  readonly chainKey: string
  readonly lockTimeoutMs: number
}

/**
 * Inserts records (the JSON of `rowsJson`) at the head of a chain, in one
 * transaction. The hash covers what PostgreSQL stores, so the records are
 * first read through PostgreSQL's own casts (`canonicalColumnsSql`: the time
 * with microseconds, jsonb's numbers and keys, the uuid lowercased) and
 * digested here, before the lock; under it, only the links are hashed, and
 * the rows inserted from that very text, which casts back to the same values.
 *
 * Under concurrency: READ COMMITTED (set, whatever the server's default: a
 * REPEATABLE READ snapshot taken before the lock would read an old head and
 * fork the chain), a transaction-scoped advisory lock per table and chain
 * (released by COMMIT or ROLLBACK, so the head never moves for rows that did
 * not commit), `lock_timeout` so a stuck writer fails the others' attempts
 * (they retry) instead of blocking them for ever, the head read in a
 * statement of its own after the lock, and records already stored (a retried
 * batch) left out before numbering, so no seq is ever skipped.
 */
export async function insertChained (driver: Driver, target: ChainTarget, json: string): Promise<number> {
  return await driver.transaction(async (query) => {
    await query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED', [])
    // Before the lock (other writers go on meanwhile): the records as they will be stored, and the digest of each.
    const { rows } = await query<CanonicalRow>(`SELECT ${canonicalColumnsSql('r')}
FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (${recordsetColumns})) WITH ORDINALITY AS r(event_id, time, level, event, domain, action, status, correlation_id, service, data, n)
WHERE NOT EXISTS (SELECT 1 FROM ${target.tableName} AS s WHERE s.event_id = r.event_id)
ORDER BY r.n`, [json])
    const digests = new Map<string, { row: CanonicalRow, digest: string }>()
    // A record twice in one batch is stored once, like the unchained insert's ON CONFLICT.
    for (const row of rows) if (!digests.has(row.event_id)) digests.set(row.event_id, { row, digest: rowDigest(row) })
    if (digests.size === 0) return 0

    await query("SELECT set_config('lock_timeout', $1, true)", [`${target.lockTimeoutMs}ms`])
    await query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`daslog chain ${target.table} ${target.chainKey}`])
    // ORDER BY t.seq, the bigint: `seq` alone would be the text the SELECT makes of it (pg reads a bigint as a string), and '9' > '10'.
    const head = (await query<{ seq: string, hash: string }>(
      `SELECT t.seq::text AS seq, t.hash FROM ${target.tableName} AS t WHERE t.chain_key = $1 AND t.seq IS NOT NULL ORDER BY t.seq DESC LIMIT 1`, [target.chainKey])).rows[0]
    // Stored by another writer since the first read (a retry racing its original): left out before numbering, so no seq is skipped.
    const stored = await query<{ event_id: string }>(`SELECT event_id::text AS event_id FROM ${target.tableName} WHERE event_id = ANY($1::uuid[])`, [[...digests.keys()]])
    for (const { event_id: id } of stored.rows) digests.delete(id)
    if (digests.size === 0) return 0

    let seq = BigInt(head?.seq ?? 0)
    let prevHash = head?.hash ?? genesisHash
    const lines: string[] = []
    for (const { row, digest } of digests.values()) {
      const hash = linkHash(prevHash, digest)
      seq++
      const { data, ...columns } = row
      lines.push(`${JSON.stringify({ ...columns, seq: String(seq), prev_hash: prevHash, hash }).slice(0, -1)},"data":${data}}`)
      prevHash = hash
    }
    // No ON CONFLICT: a row skipped after numbering would leave a gap; a record stored meanwhile by a writer outside this chain fails the batch, and its retry leaves that record out.
    const { rowCount } = await query(`INSERT INTO ${target.tableName} (event_id, time, level, event, domain, action, status, correlation_id, service, data, chain_key, seq, prev_hash, hash)
SELECT r.event_id, r.time, r.level, r.event, r.domain, r.action, r.status, r.correlation_id, r.service, r.data, $2, r.seq, r.prev_hash, r.hash
FROM jsonb_to_recordset($1::jsonb) AS r(${recordsetColumns}, seq bigint, prev_hash text, hash text)`, [`[${lines.join(',')}]`, target.chainKey])
    return rowCount
  })
}

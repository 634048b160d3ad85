import type { Query } from './driver.js'
import { canonicalColumnsSql, chainHash, genesisHash, type CanonicalRow } from './chain.js'
import { StoreError } from './store-error.js'

/** A chain's head (or any link of it): its seq (as text: a bigint) and hash, what `verify --head` prints as `seq:hash`. */
export interface ChainLink {
  readonly seq: string
  readonly hash: string
}

export interface VerifyOptions {
  /** The chain (default `'default'`). */
  readonly chainKey?: string
  /** Start at this seq, trusting its row's `prev_hash` (default 1: the whole chain, from the genesis hash). */
  readonly from?: number | bigint | string
  /** An anchored link (`{ seq, hash }` or `'seq:hash'`): the row at that seq must have that hash, and the chain must reach it. */
  readonly expect?: ChainLink | string
  /** Rows read per round trip (default 5,000): memory stays bounded however long the chain. */
  readonly batch?: number
}

/** The first row that breaks the chain. */
export interface ChainProblem {
  readonly event_id: string | null
  readonly seq: string | null
  readonly reason: string
}

export type VerifyResult =
  | { readonly ok: true, readonly rows: number, readonly head: ChainLink | null }
  | { readonly ok: false, readonly rows: number, readonly problem: ChainProblem }

interface ChainRowRead extends CanonicalRow {
  seq: string
  prev_hash: string | null
  hash: string | null
}

const linkPattern = /^(\d+):([0-9a-f]{64})$/

/** `'seq:hash'` as a link; a StoreError naming `option` otherwise. */
export function parseLink (text: string, option = 'expect'): ChainLink {
  const match = linkPattern.exec(text)
  if (match === null) throw new StoreError(option, `expected <seq>:<sha-256 hex> as \`daslog verify --head\` prints it, got ${JSON.stringify(text)}`)
  return { seq: BigInt(match[1]!).toString(), hash: match[2]! }
}

function seqOption (value: unknown): bigint {
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint' || (typeof value === 'string' && /^\d+$/.test(value))) {
    const seq = BigInt(value)
    if (seq >= 1n) return seq
  }
  throw new StoreError('from', `expected a seq (a whole number from 1), got ${JSON.stringify(String(value))}`)
}

/**
 * Walks a chain in seq order, a page at a time (keyset on `(seq, event_id)`,
 * so a repeated seq is never skipped at a page boundary), and checks each
 * row: its seq is the one after the last, its `prev_hash` is the last row's
 * hash, its `hash` is that of its stored columns. The first row that fails
 * is named: an edited row fails its hash, the row after a deleted one its
 * seq, an inserted or reordered row its seq or its link.
 */
export async function verifyChain (query: Query, tableName: string, chainKey: string, options: VerifyOptions): Promise<VerifyResult> {
  const from = options.from === undefined ? 1n : seqOption(options.from)
  const expect = options.expect === undefined ? undefined : typeof options.expect === 'string' ? parseLink(options.expect) : parseLink(`${options.expect.seq}:${options.expect.hash}`)
  if (expect !== undefined && BigInt(expect.seq) < from) throw new StoreError('expect', `the anchored seq ${expect.seq} is before --from ${from}`)
  const batch = options.batch ?? 5_000
  if (!Number.isInteger(batch) || batch < 1 || batch > 50_000) throw new StoreError('batch', `expected a whole number from 1 to 50000, got ${JSON.stringify(batch)}`)
  const columns = `t.seq::text AS seq, t.prev_hash, t.hash, ${canonicalColumnsSql('t')}`
  const where = 't.chain_key = $1 AND t.seq IS NOT NULL'
  let expected = from
  let prevHash: string | null = from === 1n ? genesisHash : null
  let rows = 0
  let last: ChainRowRead | undefined
  const broken = (row: ChainRowRead, reason: string): VerifyResult => ({ ok: false, rows, problem: { event_id: row.event_id, seq: row.seq, reason } })
  // Each page is also bounded to the seqs it should hold (`seq <= last + batch`): without the bound, a planner
  // without statistics reads and sorts every row after the cursor, each page. A short bounded page is followed
  // by one unbounded read, which finds nothing at the end of the chain, or the rows after a gap.
  const pageAfter = (row: ChainRowRead | undefined, bounded: boolean): Promise<{ rows: ChainRowRead[] }> => {
    const after = row === undefined ? 't.seq >= $2::bigint' : '(t.seq, t.event_id) > ($2::bigint, $3::uuid)'
    const bound = bounded ? ` AND t.seq <= $2::bigint + ${batch}` : ''
    return query<ChainRowRead>(`SELECT ${columns} FROM ${tableName} AS t WHERE ${where} AND ${after}${bound} ORDER BY t.seq, t.event_id LIMIT ${batch}`,
      row === undefined ? [chainKey, from.toString()] : [chainKey, row.seq, row.event_id])
  }
  let next: Promise<{ rows: ChainRowRead[] }> | undefined = pageAfter(undefined, true)
  let bounded = true
  while (next !== undefined) {
    const page: { rows: ChainRowRead[] } = await next
    // The next page is read (on another pooled connection) while this one is hashed; at most two pages in memory.
    const end = page.rows.at(-1) ?? last
    if (page.rows.length === batch) next = pageAfter(end, bounded = true)
    else if (bounded) next = pageAfter(end, bounded = false)
    else next = undefined
    for (const row of page.rows) {
      const seq = BigInt(row.seq)
      if (seq !== expected) {
        next?.catch(() => {})
        return broken(row, seq < expected
          ? `seq ${seq} comes again (expected ${expected}): a row was inserted or renumbered`
          : `seq jumps from ${expected - 1n} to ${seq}: the row(s) before it were deleted`)
      }
      let problem: string | undefined
      if (prevHash !== null && row.prev_hash !== prevHash) problem = `prev_hash is not the hash of seq ${seq - 1n}: a row before it was changed, inserted or reordered`
      else if (row.prev_hash === null || row.hash !== chainHash(row.prev_hash, row)) problem = 'hash does not match the row: it was edited'
      else if (expect !== undefined && seq === BigInt(expect.seq) && row.hash !== expect.hash) problem = `hash differs from the anchored ${expect.seq}:${expect.hash}: the chain up to it was rewritten`
      if (problem !== undefined) {
        next?.catch(() => {})
        return broken(row, problem)
      }
      prevHash = row.hash
      expected++
      rows++
      last = row
    }
  }
  if (expect !== undefined && expected <= BigInt(expect.seq)) {
    return { ok: false, rows, problem: { event_id: last?.event_id ?? null, seq: last?.seq ?? null, reason: `the chain ends at seq ${expected - 1n}, before the anchored seq ${expect.seq}: rows at its end were deleted` } }
  }
  return { ok: true, rows, head: last === undefined ? null : { seq: last.seq, hash: last.hash! } }
}

import type pg from 'pg'
import type { Catalog } from '../catalog/types.js'
import type { Driver } from './driver.js'
import { pgDriver } from './pg-driver.js'
import { pgliteDriver } from './pglite-driver.js'
import { eventOf, encodeCursor, querySql, type QueryFilter, type QueryResult, type QueryRow } from './query.js'
import { insertRows, recordsetColumns, rowsJson, type StoredEvent } from './rows.js'
import { defaultTable, schemaDdl, tableReadyQuery, tableSql } from './schema.js'
import { StoreError } from './store-error.js'
import { defaultChainKey } from './chain.js'
import { insertChained, type KnownHeads } from './chain-insert.js'
import { verifyChain, type VerifyOptions, type VerifyResult } from './verify.js'

/** Where the store is: a `postgres://` URL, the application's `pg.Pool`, or `{ dir }` for an embedded PostgreSQL (PGlite) in that folder. */
export type StoreTarget = string | pg.Pool | { readonly dir: string }

export interface StoreOptions {
  /** The table (`daslog_events`), optionally schema-qualified (`audit.events`). */
  readonly table?: string
  /** Names each event's domain, action and status, and makes `migrate()` create its audit views. */
  readonly catalog?: Catalog
  /** Told about a pooled connection's error (the server went away); the next query fails and reports it too. */
  readonly onError?: (error: unknown) => void
  /** Hash-chain every inserted row (`seq`, `prev_hash`, `hash`: docs/tamper-evidence.md); default false. */
  readonly chain?: boolean
  /** The chain the rows join (one per table by default; e.g. one per tenant): `'default'` unless given. */
  readonly chainKey?: string
  /** How long a chained insert waits for its chain's lock before it fails (and is retried): default 5,000 ms. */
  readonly lockTimeoutMs?: number
  /** Makes `migrate()` add the triggers that reject UPDATE, DELETE and TRUNCATE (defence in depth). */
  readonly appendOnly?: boolean
}

/** Per insert: the store's chain settings, overridden. */
export interface InsertOptions {
  readonly chain?: boolean
  readonly chainKey?: string
}

export interface InsertResult {
  /** Rows written. */
  readonly inserted: number
  /** Records whose event_id was stored already (a retried batch, a replay): not written twice. */
  readonly duplicates: number
}

/** The audit store: the same SQL on a PostgreSQL server and on an embedded one. */
export interface Store {
  /** Creates the table, its indexes and the catalog's audit views when missing; harmless to run again. */
  migrate (): Promise<void>
  /** Writes the records in one statement; a record whose event_id is stored already is counted, not written. */
  insert (records: readonly StoredEvent[], options?: InsertOptions): Promise<InsertResult>
  /** Walks a hash chain from its start (or `from`) and says how many rows hold, or which row first breaks it. */
  verify (options?: VerifyOptions): Promise<VerifyResult>
  /** The events a filter finds, newest first, a page at a time. */
  query (filter?: QueryFilter): Promise<QueryResult>
  /** Ends the store's own connections (an application's pool stays open). */
  close (): Promise<void>
}

/** Opens a store; nothing is created until `migrate()`. */
export async function openStore (target: StoreTarget, options: StoreOptions = {}): Promise<Store> {
  const table = options.table ?? defaultTable
  tableSql(table)
  const chain = chainOptions(options)
  return new SqlStore(await driverFor(target, options.onError), table, options.catalog, chain, options.appendOnly === true)
}

interface ChainSettings {
  readonly chain: boolean
  readonly chainKey: string
  readonly lockTimeoutMs: number
}

function chainKeyOf (value: unknown, option: string): string {
  if (typeof value === 'string' && value !== '' && value.length <= 200) return value
  throw new StoreError(option, `expected a non-empty string of at most 200 characters, got ${JSON.stringify(value) ?? typeof value}`)
}

function chainOptions (options: StoreOptions): ChainSettings {
  if (options.chain !== undefined && typeof options.chain !== 'boolean') throw new StoreError('chain', `expected true or false, got ${JSON.stringify(options.chain)}`)
  const lockTimeoutMs = options.lockTimeoutMs ?? 5_000
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 1) throw new StoreError('lockTimeoutMs', `expected a whole number of milliseconds above 0, got ${JSON.stringify(lockTimeoutMs)}`)
  return {
    chain: options.chain ?? false,
    chainKey: options.chainKey === undefined ? defaultChainKey : chainKeyOf(options.chainKey, 'chainKey'),
    lockTimeoutMs
  }
}

async function driverFor (target: StoreTarget, onError: ((error: unknown) => void) | undefined): Promise<Driver> {
  if (typeof target === 'string') {
    if (!/^postgres(?:ql)?:\/\//.test(target)) throw new StoreError('store target', 'expected a postgres:// URL, a pg.Pool or { dir } for an embedded store')
    return pgDriver(target, onError)
  }
  if (typeof target === 'object' && target !== null && 'dir' in target) {
    if (typeof target.dir !== 'string' || target.dir === '') throw new StoreError('store target dir', 'expected the folder of the embedded store')
    return await pgliteDriver(target.dir)
  }
  if (typeof target === 'object' && target !== null && typeof (target as pg.Pool).query === 'function') return pgDriver(target as pg.Pool, onError)
  throw new StoreError('store target', 'expected a postgres:// URL, a pg.Pool or { dir } for an embedded store')
}

class SqlStore implements Store {
  private readonly tableName: string
  private readonly insertSql: string
  /** Where this store's chained inserts left each chain's head. */
  private readonly heads: KnownHeads = new Map()

  constructor (private readonly driver: Driver, private readonly table: string, private readonly catalog: Catalog | undefined,
    private readonly chain: ChainSettings, private readonly appendOnly: boolean) {
    this.tableName = tableSql(table)
    // One parameter however many records (a VALUES list per record runs into the 65,535 bind-parameter cap).
    // ON CONFLICT without a target: the key is event_id, or (event_id, time) in a table partitioned by time (docs/store.md).
    this.insertSql = `INSERT INTO ${this.tableName} (event_id, time, level, event, domain, action, status, correlation_id, service, data)
SELECT r.event_id, r.time, r.level, r.event, r.domain, r.action, r.status, r.correlation_id, r.service, COALESCE(r.data, '{}'::jsonb)
FROM jsonb_to_recordset($1::jsonb) AS r(${recordsetColumns})
ON CONFLICT DO NOTHING`
  }

  async migrate (): Promise<void> {
    // The catalog first: a table with every column, index and trigger is not locked again (every worker migrates when it starts).
    const { sql, params } = tableReadyQuery(this.table)
    const [row] = (await this.driver.query<{ ready: boolean | null, append_only: boolean | null }>(sql, params)).rows
    const ddl = schemaDdl(this.table, this.catalog, { appendOnly: this.appendOnly, tableReady: row?.ready === true, appendOnlyReady: row?.append_only === true })
    if (ddl !== '') await this.driver.exec(ddl)
  }

  async insert (records: readonly StoredEvent[], options: InsertOptions = {}): Promise<InsertResult> {
    if (records.length === 0) return { inserted: 0, duplicates: 0 }
    const chainKey = options.chainKey === undefined ? this.chain.chainKey : chainKeyOf(options.chainKey, 'chainKey')
    const inserted = (options.chain ?? this.chain.chain)
      ? await insertChained(this.driver, { table: this.table, tableName: this.tableName, chainKey, lockTimeoutMs: this.chain.lockTimeoutMs, heads: this.heads }, records, this.catalog)
      : (await this.driver.query(this.insertSql, [rowsJson(insertRows(records, this.catalog))])).rowCount
    return { inserted, duplicates: records.length - inserted }
  }

  async verify (options: VerifyOptions = {}): Promise<VerifyResult> {
    const chainKey = options.chainKey === undefined ? this.chain.chainKey : chainKeyOf(options.chainKey, 'chainKey')
    return await verifyChain(this.driver.query, this.tableName, chainKey, options)
  }

  async query (filter: QueryFilter = {}): Promise<QueryResult> {
    const { sql, params, limit } = querySql(this.tableName, filter)
    const { rows } = await this.driver.query<QueryRow>(sql, params)
    const page = rows.length > limit ? rows.slice(0, limit) : rows
    return { events: page.map(eventOf), next: rows.length > limit ? encodeCursor(page.at(-1)!) : null }
  }

  close (): Promise<void> {
    return this.driver.close()
  }
}

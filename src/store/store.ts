import type pg from 'pg'
import type { Catalog } from '../catalog/types.js'
import type { Driver } from './driver.js'
import { pgDriver } from './pg-driver.js'
import { pgliteDriver } from './pglite-driver.js'
import { eventOf, encodeCursor, querySql, type QueryFilter, type QueryResult, type QueryRow } from './query.js'
import { rowsJson, type StoredEvent } from './rows.js'
import { defaultTable, schemaDdl, tableSql } from './schema.js'
import { StoreError } from './store-error.js'

/** Where the store is: a `postgres://` URL, the application's `pg.Pool`, or `{ dir }` for an embedded PostgreSQL (PGlite) in that folder. */
export type StoreTarget = string | pg.Pool | { readonly dir: string }

export interface StoreOptions {
  /** The table (`daslog_events`), optionally schema-qualified (`audit.events`). */
  readonly table?: string
  /** Names each event's domain, action and status, and makes `migrate()` create its audit views. */
  readonly catalog?: Catalog
  /** Told about a pooled connection's error (the server went away); the next query fails and reports it too. */
  readonly onError?: (error: unknown) => void
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
  insert (records: readonly StoredEvent[]): Promise<InsertResult>
  /** The events a filter finds, newest first, a page at a time. */
  query (filter?: QueryFilter): Promise<QueryResult>
  /** Ends the store's own connections (an application's pool stays open). */
  close (): Promise<void>
}

/** Opens a store; nothing is created until `migrate()`. */
export async function openStore (target: StoreTarget, options: StoreOptions = {}): Promise<Store> {
  const table = options.table ?? defaultTable
  tableSql(table)
  return new SqlStore(await driverFor(target, options.onError), table, options.catalog)
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

  constructor (private readonly driver: Driver, private readonly table: string, private readonly catalog: Catalog | undefined) {
    this.tableName = tableSql(table)
    // One parameter however many records (a VALUES list per record runs into the 65,535 bind-parameter cap).
    // ON CONFLICT without a target: the key is event_id, or (event_id, time) in a table partitioned by time (docs/store.md).
    this.insertSql = `INSERT INTO ${this.tableName} (event_id, time, level, event, domain, action, status, correlation_id, service, data)
SELECT r.event_id, r.time, r.level, r.event, r.domain, r.action, r.status, r.correlation_id, r.service, COALESCE(r.data, '{}'::jsonb)
FROM jsonb_to_recordset($1::jsonb) AS r(event_id uuid, time timestamptz, level smallint, event text, domain text, action text, status text, correlation_id text, service text, data jsonb)
ON CONFLICT DO NOTHING`
  }

  async migrate (): Promise<void> {
    await this.driver.exec(schemaDdl(this.table, this.catalog))
  }

  async insert (records: readonly StoredEvent[]): Promise<InsertResult> {
    if (records.length === 0) return { inserted: 0, duplicates: 0 }
    const { rowCount } = await this.driver.query(this.insertSql, [rowsJson(records, this.catalog)])
    return { inserted: rowCount, duplicates: records.length - rowCount }
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

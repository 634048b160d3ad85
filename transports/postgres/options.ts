import { ConfigError } from '../../src/errors.js'
import { booleanOption, describe, integerFieldsOption, integerOption, isObject, stringOption } from '../../src/config/option-checks.js'
import { StoreError } from '../../src/store/store-error.js'
import { defaultTable, tableSql } from '../../src/store/schema.js'
import { workingDirectoryDeadLetter, type OptionsSpec } from '../shared/common-options.js'
import { networkOptionNames, networkOptions, type NetworkOptions } from '../shared/network-options.js'

export interface PostgresOptions extends NetworkOptions {
  /** node-postgres pool settings: `connectionString` and/or `host`, `port`, `user`, `password`, `database`, `ssl`, `max`. */
  readonly pool: Readonly<Record<string, unknown>>
  readonly table: string
  readonly batch: { readonly size: number, readonly intervalMs: number }
  /** Create the table and indexes when missing, before the first insert (default true). */
  readonly migrate: boolean
  /** Batches inserted at once, each on a connection of its own (default 2). */
  readonly concurrency: number
  /** Hash-chain the rows (docs/tamper-evidence.md); default false. */
  readonly chain: boolean
  /** The chain the rows join (default `'default'`). */
  readonly chainKey: string | undefined
}

export const defaultBatch = { size: 1_000, intervalMs: 100 }
/**
 * The batch size with `chain: true`. A chain's batches take turns at its
 * lock, and each turn costs the same whatever its size (the lock, the
 * commit's flush, waited out by every other batch), so fewer, bigger turns:
 * 5,000 stored a burst 1.1-1.2x faster than 1,000 here, where the unchained
 * insert gains nothing from it. A batch still goes after `intervalMs` with
 * what it has, so a quiet stream waits no longer.
 */
export const defaultChainBatchSize = 5_000
/**
 * The concurrency with `chain: true`: while one batch inserts at the chain's
 * head and the next waits for the lock, staged, a third is predicted and
 * staged; with two, the lock's holder often waited for the one behind it.
 * 3 stored a burst about 1.08x faster than 2 here (10 alternated runs); the
 * unchained insert gains nothing from a third.
 */
export const defaultChainConcurrency = 3
/** Two inserts at once: measured 1.4x one at a time on a 2-core machine (npm run bench); the GIN index on data is most of an insert's cost. */
export const defaultConcurrency = 2

/** node-postgres pool settings the transport passes on (plain data: they cross into the worker). */
const poolKeys = new Set(['connectionString', 'host', 'port', 'user', 'password', 'database', 'ssl', 'max', 'application_name', 'options'])

function poolOption (options: Record<string, unknown>): Record<string, unknown> {
  const pool: Record<string, unknown> = {}
  if (options.pool !== undefined) {
    if (!isObject(options.pool)) throw new ConfigError('pool', `expected node-postgres pool settings (an object), got ${describe(options.pool)}`)
    for (const [key, value] of Object.entries(options.pool)) {
      if (!poolKeys.has(key)) throw new ConfigError(`pool.${key}`, `is not a pool setting daslog passes on (${[...poolKeys].join(', ')})`)
      pool[key] = value
    }
  }
  if (options.connectionString !== undefined) {
    const url = stringOption('connectionString', options.connectionString)
    if (!/^postgres(?:ql)?:\/\//.test(url)) throw new ConfigError('connectionString', 'expected a postgres:// URL')
    pool.connectionString = url
  }
  if (pool.connectionString === undefined && pool.host === undefined) throw new ConfigError('connectionString', 'give the database as a postgres:// URL, or pool settings (pool.host, ...)')
  return pool
}

/** Where the records go, as stats and dead letters name it: host and database, never a user or password. */
export function databaseName (pool: Readonly<Record<string, unknown>>): string {
  if (typeof pool.connectionString === 'string') {
    try {
      const url = new URL(pool.connectionString)
      return `${url.host}${url.pathname}`
    } catch {}
  }
  return `${String(pool.host ?? 'localhost')}${pool.port === undefined ? '' : `:${String(pool.port)}`}/${String(pool.database ?? '')}`
}

export const postgresOptionsSpec: OptionsSpec<PostgresOptions> = {
  kind: 'postgres',
  optionNames: ['connectionString', 'pool', 'table', 'batch', 'migrate', 'concurrency', 'chain', 'chainKey', ...networkOptionNames],
  parse (options) {
    const table = options.table === undefined ? defaultTable : stringOption('table', options.table)
    try {
      tableSql(table)
    } catch (error) {
      throw new ConfigError('table', (error as StoreError).message.replace(/^Invalid table: /, ''))
    }
    const chain = booleanOption('chain', options.chain, false)
    return {
      ...networkOptions(options),
      pool: poolOption(options),
      table,
      batch: integerFieldsOption('batch', options.batch ?? {}, {
        size: { fallback: chain ? defaultChainBatchSize : defaultBatch.size, min: 1, max: 50_000 },
        intervalMs: { fallback: defaultBatch.intervalMs, min: 0, max: 60_000 }
      }),
      migrate: booleanOption('migrate', options.migrate, true),
      concurrency: options.concurrency === undefined ? (chain ? defaultChainConcurrency : defaultConcurrency) : integerOption('concurrency', options.concurrency, 1, 32),
      chain,
      chainKey: options.chainKey === undefined ? undefined : stringOption('chainKey', options.chainKey)
    }
  },
  describe: (options) => databaseName(options.pool),
  defaultDeadLetter: (options) => workingDirectoryDeadLetter('postgres', databaseName(options.pool))
}

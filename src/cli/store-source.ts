import { ConfigError } from '../errors.js'
import { openStore, type Store } from '../store/store.js'

/** Where a store command reads or writes: `--db url` (or DATABASE_URL) or `--data dir` (embedded). */
export interface StoreArgs {
  readonly db?: string | undefined
  readonly data?: string | undefined
  readonly table?: string | undefined
}

/** The parseArgs options every store command shares (`--server` and `--token` join them with the HTTP client). */
export const storeArgOptions = {
  db: { type: 'string' },
  data: { type: 'string' },
  table: { type: 'string' }
} as const

/** Opens the store the arguments name (`--db`, DATABASE_URL, `--data`); a ConfigError naming --db when they name none. */
export async function storeOf (args: StoreArgs, options: Parameters<typeof openStore>[1] = {}): Promise<Store> {
  if (args.db !== undefined && args.data !== undefined) throw new ConfigError('--db', 'give either --db <postgres://...> or --data <folder>, not both')
  const table = args.table === undefined ? {} : { table: args.table }
  if (args.data !== undefined) return await openStore({ dir: args.data }, { ...options, ...table })
  const url = args.db ?? process.env.DATABASE_URL
  if (url === undefined || url === '') throw new ConfigError('--db', 'give the store: --db <postgres://...> (or DATABASE_URL), or --data <folder> for an embedded one')
  return await openStore(url, { ...options, ...table })
}

/** True when the arguments name a store to apply to (schema prints only, otherwise). */
export function namesStore (args: StoreArgs): boolean {
  return args.db !== undefined || args.data !== undefined
}

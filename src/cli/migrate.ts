import { parseArgs } from 'node:util'
import { catalog as defaultCatalog } from '../catalog/default-catalog.gen.js'
import { loadCatalogFile } from '../catalog/load-catalog.js'
import type { Catalog } from '../catalog/types.js'
import { defaultTable } from '../store/schema.js'
import { storeArgOptions, storeOf, type StoreArgs } from './store-source.js'

export const migrateUsage = `  daslog migrate [--db <url> | --data <folder>] [--table <name>] [--catalog <catalog.yaml|json>]
      Create the audit store's table, indexes and audit views and nothing else (migrations
      apart from the service); --db defaults to DATABASE_URL. Safe to run again.`

/** `daslog migrate`: runs the store's DDL where the arguments say. */
export async function migrateCommand (args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { catalog: { type: 'string' }, ...storeArgOptions } })
  await applySchema(values, values.catalog === undefined ? defaultCatalog : loadCatalogFile(values.catalog), out)
  return 0
}

/** Opens the store, migrates it, closes it, and says so. */
export async function applySchema (args: StoreArgs, catalog: Catalog, out: (line: string) => void): Promise<void> {
  const store = await storeOf(args, { catalog })
  try {
    await store.migrate()
  } finally {
    await store.close()
  }
  const views = Object.values(catalog.events).filter((event) => event.audit).length
  out(`daslog: ${args.table ?? defaultTable} is ready in ${args.data ?? 'the database'}, with ${views} audit view(s)`)
}

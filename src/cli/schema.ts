import { parseArgs } from 'node:util'
import { catalog as defaultCatalog } from '../catalog/default-catalog.gen.js'
import { loadCatalogFile } from '../catalog/load-catalog.js'
import { defaultTable, schemaDdl } from '../store/schema.js'
import { jsonSchemaUsage } from './schema-json.js'
import { namesStore, storeArgOptions, storeOf } from './store-source.js'

export const schemaUsage = `  daslog schema [--catalog <catalog.yaml|json>] [--table <name>] [--db <url> | --data <folder>]
      Print the audit store's SQL: the table, its indexes, and a view per audit event of the
      catalog (default: daslog's) with its fields as typed columns. Safe to run again.
      With --db or --data, apply it there instead of printing it.
${jsonSchemaUsage}`

/** `daslog schema` without `--json-schema` (schema-json.ts): prints (or applies) the audit store's DDL. */
export async function schemaCommand (args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { catalog: { type: 'string' }, ...storeArgOptions } })
  const catalog = values.catalog === undefined ? defaultCatalog : loadCatalogFile(values.catalog)
  const table = values.table ?? defaultTable
  const ddl = schemaDdl(table, catalog)
  if (!namesStore(values)) {
    out(ddl.trimEnd())
    return 0
  }
  const store = await storeOf(values, { catalog })
  try {
    await store.migrate()
  } finally {
    await store.close()
  }
  const views = Object.values(catalog.events).filter((event) => event.audit).length
  out(`daslog: ${table} is ready in ${values.data ?? 'the database'}, with ${views} audit view(s)`)
  return 0
}

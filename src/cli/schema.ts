import { parseArgs } from 'node:util'
import { catalog as defaultCatalog } from '../catalog/default-catalog.gen.js'
import { loadCatalogFile } from '../catalog/load-catalog.js'
import { defaultTable, schemaDdl } from '../store/schema.js'
import { jsonSchemaUsage } from './schema-json.js'
import { applySchema } from './migrate.js'
import { namesStore, storeArgOptions } from './store-source.js'

export const schemaUsage = `  daslog schema [--catalog <catalog.yaml|json>] [--table <name>] [--db <url> | --data <folder>] [--append-only]
      Print the audit store's SQL: the table, its indexes, and a view per audit event of the
      catalog (default: daslog's) with its fields as typed columns. Safe to run again.
      With --db or --data, apply it there instead of printing it. --append-only adds triggers
      that reject UPDATE, DELETE and TRUNCATE (defence in depth beside the hash chain).
${jsonSchemaUsage}`

/** `daslog schema` without `--json-schema` (schema-json.ts): prints (or applies) the audit store's DDL. */
export async function schemaCommand (args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { catalog: { type: 'string' }, 'append-only': { type: 'boolean' }, ...storeArgOptions } })
  const catalog = values.catalog === undefined ? defaultCatalog : loadCatalogFile(values.catalog)
  const table = values.table ?? defaultTable
  const appendOnly = values['append-only'] === true
  const ddl = schemaDdl(table, catalog, { appendOnly })
  if (!namesStore(values)) {
    out(ddl.trimEnd())
    return 0
  }
  await applySchema(values, catalog, out, { appendOnly })
  return 0
}

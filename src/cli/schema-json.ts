import { catalogJsonSchema } from '../catalog/json-schema.js'
import { count, runCatalogRenderer, type CatalogRenderer } from './generated-output.js'

const jsonSchema: CatalogRenderer = {
  command: 'schema --json-schema',
  usage: `  daslog schema --json-schema [--catalog <catalog.yaml|json>] [--out <file.json> [--check]]
      Print (or write) the JSON Schema (draft 2020-12) of the records the catalog's
      events make (default: daslog's default catalog). With --check, write nothing
      and exit 1 when the file on disk differs from what would be written.`,
  render: (catalog, header) => ({
    text: JSON.stringify(catalogJsonSchema(catalog, header), null, 2) + '\n',
    what: `JSON Schema of ${count(Object.keys(catalog.events).length, 'event')}`
  })
}

export const jsonSchemaUsage = jsonSchema.usage

/** `daslog schema --json-schema`: the JSON Schema of a catalog's records, on stdout or in a file. */
export function jsonSchemaCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  return runCatalogRenderer(jsonSchema, args, out, err)
}

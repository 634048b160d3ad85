import { catalogDocsPage } from '../catalog/docs-page.js'
import { count, runCatalogRenderer, type CatalogRenderer } from './generated-output.js'

const docs: CatalogRenderer = {
  command: 'docs',
  usage: `  daslog docs [--catalog <catalog.yaml|json>] [--out <file.md> [--check]]
      Print (or write) a Markdown page of the catalog's events (default: daslog's
      default catalog): a section per domain, a table per action with each event's
      level, audit flag, fields and descriptions. --check as for schema.`,
  render: (catalog, header) => ({
    text: catalogDocsPage(catalog, header),
    what: count(Object.keys(catalog.events).length, 'event')
  })
}

export const docsUsage = docs.usage

/** `daslog docs`: the Markdown page of a catalog, on stdout or in a file. */
export function docsCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  return runCatalogRenderer(docs, args, out, err)
}

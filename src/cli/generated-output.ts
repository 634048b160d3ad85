import { parseArgs } from 'node:util'
import { writeGeneratedFile } from '../catalog/generate-file.js'
import type { ParsedCatalog } from '../catalog/parse-catalog.js'
import { chosenCatalog, relativePath } from './catalog-option.js'

/** A command that renders a text from a catalog (`daslog docs`, `daslog schema --json-schema`). */
export interface CatalogRenderer {
  /** `docs`, or `schema --json-schema`: the command and the flag that selects this renderer. */
  readonly command: string
  readonly usage: string
  /** The text, and what it holds for the messages (`12 events`). `header` names the source and the command that regenerates it. */
  render (catalog: ParsedCatalog, header: { readonly source: string, readonly command: string }): { text: string, what: string }
}

/**
 * Runs a catalog renderer with its options: `--catalog <file>` (default:
 * daslog's default catalog), `--out <file>` (default: stdout) and `--check`
 * (compare with the file, write nothing; exit 1 when it is stale or missing).
 */
export function runCatalogRenderer (renderer: CatalogRenderer, args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  const [name, flag] = renderer.command.split(' ')
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...flag === undefined ? {} : { [flag.slice(2)]: { type: 'boolean' as const } },
      catalog: { type: 'string' },
      out: { type: 'string', short: 'o' },
      check: { type: 'boolean' }
    }
  })
  const file = values.out as string | undefined
  if (values.check === true && file === undefined) {
    err(`daslog ${name!}: --check compares with the file given by --out\n${renderer.usage}`)
    return 2
  }
  const { catalog, source } = chosenCatalog(values.catalog as string | undefined)
  const command = `daslog ${renderer.command}${values.catalog === undefined ? '' : ` --catalog ${source}`}${file === undefined ? '' : ` --out ${relativePath(file)}`}`
  const { text, what } = renderer.render(catalog, { source, command })
  if (file === undefined) {
    out(text.trimEnd())
    return 0
  }
  switch (writeGeneratedFile(file, text, values.check === true)) {
    case 'written': out(`daslog: wrote ${file} (${what})`); return 0
    case 'current': out(`daslog: ${file} is up to date (${what})`); return 0
    case 'missing': err(`daslog: ${file} does not exist; run ${command}`); return 1
    case 'stale': err(`daslog: ${file} is stale; run ${command}`); return 1
  }
}

/** `1 event`, `2 events`. */
export function count (n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`
}

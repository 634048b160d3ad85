import { parseArgs } from 'node:util'
import { diffCatalogs } from '../catalog/diff-catalogs.js'
import { loadCatalogFile } from '../catalog/load-catalog.js'
import { chosenCatalog } from './catalog-option.js'
import { count } from './generated-output.js'

export const checkAgainstUsage = `  daslog check [<catalog.yaml|json> | --catalog <file>] --against <old catalog>
      Compare a catalog (default: daslog's default catalog) with an older version of
      it: list every change, and exit 1 when one is breaking (an event removed or
      renamed, a field removed, a field's type changed, a field made required).`

/** `daslog check --against <old>`: the changes since the old catalog; exit 1 on a breaking one. */
export function checkAgainstCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { against: { type: 'string' }, catalog: { type: 'string' } }
  })
  if (values.against === undefined || positionals.length > 1 || (positionals.length === 1 && values.catalog !== undefined)) {
    err(`daslog check: give --against <old catalog>, and the new catalog once (a file name or --catalog)\n${checkAgainstUsage}`)
    return 2
  }
  const before = loadCatalogFile(values.against)
  const { catalog: after, source } = chosenCatalog(positionals[0] ?? values.catalog)
  const changes = diffCatalogs(before, after)
  for (const change of changes) out(`daslog: ${change.breaking ? 'breaking' : 'info'}: ${change.message}`)
  const breaking = changes.filter((change) => change.breaking).length
  const summary = `daslog: ${values.against} -> ${source}: ${count(breaking, 'breaking change')}, ${count(changes.length - breaking, 'other change')}`
  if (breaking === 0) {
    out(summary)
    return 0
  }
  err(summary)
  return 1
}

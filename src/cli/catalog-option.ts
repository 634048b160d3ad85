import { relative, sep } from 'node:path'
import { catalog as defaultCatalog } from '../catalog/default-catalog.gen.js'
import { loadCatalogFile } from '../catalog/load-catalog.js'
import type { ParsedCatalog } from '../catalog/parse-catalog.js'

/** A catalog a command works on, and how its output names it. */
export interface ChosenCatalog {
  readonly catalog: ParsedCatalog
  /** The file relative to the working directory (forward slashes), or `daslog's default catalog`. */
  readonly source: string
}

/** The catalog of a `--catalog <file>` option (read and validated the way `daslog generate` does), or daslog's default one. */
export function chosenCatalog (file: string | undefined): ChosenCatalog {
  if (file === undefined) return { catalog: { events: { ...defaultCatalog.events } }, source: 'daslog\'s default catalog' }
  return { catalog: loadCatalogFile(file), source: relativePath(file) }
}

/** A path as generated headers name it: relative to the working directory, with forward slashes. */
export function relativePath (file: string): string {
  return relative(process.cwd(), file).split(sep).join('/')
}

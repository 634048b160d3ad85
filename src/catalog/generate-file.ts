import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve, sep } from 'node:path'
import { loadCatalogFile } from './load-catalog.js'
import { generateCatalogModule } from './generate-module.js'

export interface GenerateFileOptions {
  readonly catalog: string
  readonly out: string
  readonly importFrom?: string
}

export interface GenerateFileResult {
  /** `written` and `current` succeed; `stale` and `missing` are what `--check` fails on. */
  readonly status: 'written' | 'current' | 'stale' | 'missing'
  readonly events: number
}

/** The module text `daslog generate` would write for a catalog file (throws CatalogError when invalid). */
export function renderCatalogFile (options: GenerateFileOptions): { text: string, events: number } {
  const catalog = loadCatalogFile(options.catalog)
  const source = relative(dirname(resolve(options.out)), resolve(options.catalog)).split(sep).join('/')
  const text = generateCatalogModule(catalog, {
    source: `${source} (relative to this file)`,
    command: 'daslog generate <catalog> --out <this file>',
    importFrom: options.importFrom ?? 'daslog'
  })
  return { text, events: Object.keys(catalog.events).length }
}

/** Writes the generated module; with `check`, only compares it with the file on disk. */
export function generateCatalogFile (options: GenerateFileOptions & { readonly check?: boolean }): GenerateFileResult {
  const { text, events } = renderCatalogFile(options)
  let current: string | undefined
  try {
    current = readFileSync(options.out, 'utf8')
  } catch {
    current = undefined
  }
  if (options.check === true) {
    if (current === undefined) return { status: 'missing', events }
    return { status: current === text ? 'current' : 'stale', events }
  }
  if (current === text) return { status: 'current', events }
  mkdirSync(dirname(resolve(options.out)), { recursive: true })
  writeFileSync(options.out, text)
  return { status: 'written', events }
}

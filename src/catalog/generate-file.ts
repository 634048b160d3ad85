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
  return { status: writeGeneratedFile(options.out, text, options.check === true), events }
}

/**
 * Writes a generated file unless it already holds `text`; with `check`,
 * writes nothing and says whether the file on disk is current.
 */
export function writeGeneratedFile (out: string, text: string, check: boolean): GenerateFileResult['status'] {
  let current: string | undefined
  try {
    current = readFileSync(out, 'utf8')
  } catch {
    current = undefined
  }
  if (check) {
    if (current === undefined) return 'missing'
    return current === text ? 'current' : 'stale'
  }
  if (current === text) return 'current'
  mkdirSync(dirname(resolve(out)), { recursive: true })
  writeFileSync(out, text)
  return 'written'
}

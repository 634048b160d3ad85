import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parseDocument } from 'yaml'
import { CatalogError } from '../errors.js'
import { parseCatalog, type ParsedCatalog } from './parse-catalog.js'

/** Reads a catalog file (`.yaml`, `.yml` or `.json`) and validates it. */
export function loadCatalogFile (file: string): ParsedCatalog {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new CatalogError('(file)', `cannot read the catalog: ${(err as Error).message}`, file)
  }
  return parseCatalog(parseCatalogText(text, file), file)
}

/** Parses catalog text: JSON for `.json` files, YAML (with duplicate keys refused) otherwise. */
export function parseCatalogText (text: string, file: string): unknown {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text)
    } catch (err) {
      throw new CatalogError('(file)', `not valid JSON: ${(err as Error).message}`, file)
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true })
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!
    throw new CatalogError(first.linePos === undefined ? '(file)' : `line ${first.linePos[0].line}`, `not valid YAML: ${first.message.split('\n')[0]}`, file)
  }
  return doc.toJS()
}

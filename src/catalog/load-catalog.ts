import { readFileSync } from 'node:fs'
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import { parseDocument, type YAMLError } from 'yaml'
import { CatalogError, type CatalogProblem } from '../errors.js'
import { parseCatalog, throwProblems, type ParsedCatalog } from './parse-catalog.js'

/**
 * Reads a catalog file (`.yaml`, `.yml` or `.json`) and validates it. Catalog
 * files it includes are read relative to it; `including` is the chain of
 * files that led here, so a file that includes itself is an error, not a loop.
 */
export function loadCatalogFile (file: string, including: readonly string[] = []): ParsedCatalog {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new CatalogError('(file)', `cannot read the catalog: ${(err as Error).message}`, file)
  }
  const chain = [...including, resolve(file)]
  return parseCatalog(parseCatalogText(text, file), file, {
    includeFile (path) {
      const target = isAbsolute(path) ? path : join(dirname(file), path)
      if (chain.includes(resolve(target))) {
        throw new CatalogError('include', `a catalog cannot include itself (${[...chain, resolve(target)].map((f) => relative(process.cwd(), f)).join(' includes ')})`, file)
      }
      return loadCatalogFile(target, chain)
    }
  })
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
  throwProblems(doc.errors.map(yamlProblem), file)
  return doc.toJS()
}

/**
 * A YAML error as a catalog problem: its position as the entry, its text and
 * code frame as the rule. (With prettyErrors the yaml library's message is
 * `<text> at line L, column C:` followed by the frame.)
 */
function yamlProblem (error: YAMLError): CatalogProblem {
  const [headline = '', ...frame] = error.message.split('\n')
  const at = / at line \d+, column \d+:$/.exec(headline)
  const text = at === null ? headline : headline.slice(0, at.index)
  const codeFrame = frame.join('\n').replace(/^\n+/, '').trimEnd()
  const position = error.linePos?.[0]
  return {
    entry: position === undefined ? '(file)' : `line ${position.line}, column ${position.col}`,
    rule: `not valid YAML: ${text}${codeFrame === '' ? '' : `\n${codeFrame}`}`
  }
}

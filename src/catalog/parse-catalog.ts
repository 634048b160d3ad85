import { didYouMean } from '../did-you-mean.js'
import { CatalogError, type CatalogProblem } from '../errors.js'
import { isLevelName, type LevelName } from '../levels.js'
import { catalog as defaultCatalog } from './default-catalog.gen.js'
import { fieldTypeNames, type EventSpec, type FieldSpec, type FieldTypeName } from './types.js'
import { fieldNamePattern, reservedFieldNames, wordsPattern } from './vocabulary.js'

/** A validated catalog: every event by name, in the order the file declares them. */
export interface ParsedCatalog {
  readonly events: Record<string, EventSpec>
}

export interface ParseCatalogOptions {
  /**
   * Reads a catalog file named in `include` (a path relative to the including
   * file). `loadCatalogFile` gives one; without it only `daslog` can be included.
   */
  readonly includeFile?: (path: string) => ParsedCatalog
}

type Plain = Record<string, unknown>

/** Notes one problem; parsing goes on, so one run reports every problem of a file. */
type Report = (entry: string, rule: string) => void

const topLevelKeys = new Set(['$schema', 'description', 'include', 'statuses', 'domains'])
/** What `include` names: daslog's default catalog, or a catalog file. */
const defaultCatalogName = 'daslog'
const catalogFilePattern = /\.(ya?ml|json)$/i
const actionKeys = new Set(['statuses', 'fields', 'audit', 'level', 'description'])
const statusKeys = new Set(['fields', 'audit', 'level', 'description'])
const fieldTypePattern = new RegExp(`^(${fieldTypeNames.map((t) => t.replace('[]', '\\[\\]')).join('|')})(\\?)?$`)

function isPlain (value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Validates a catalog document (already parsed from YAML or JSON) and
 * expands it into events: those of the catalogs it includes first, then its
 * own. Throws one CatalogError listing every problem of the document, each
 * naming the entry and the rule.
 */
export function parseCatalog (doc: unknown, file?: string, options: ParseCatalogOptions = {}): ParsedCatalog {
  const problems: CatalogProblem[] = []
  const events = readCatalog(doc, options, (entry, rule) => { problems.push({ entry, rule }) })
  throwProblems(problems, file)
  return { events }
}

/** Throws a CatalogError for the problems, if there are any. */
export function throwProblems (problems: readonly CatalogProblem[], file: string | undefined): void {
  if (problems.length === 0) return
  const [first, ...more] = problems
  throw new CatalogError(first!.entry, first!.rule, file, more)
}

function readCatalog (doc: unknown, options: ParseCatalogOptions, report: Report): Record<string, EventSpec> {
  const events: Record<string, EventSpec> = {}
  if (!isPlain(doc)) {
    report('(root)', 'a catalog is a mapping with a "domains" key')
    return events
  }
  checkKeys(doc, topLevelKeys, '(root)', report)
  // Where each event was declared, for the duplicate errors: `include[0] (daslog)` or `domains.a.b.statuses.c`.
  const origin = new Map<string, string>()
  readIncludes(doc.include, options, events, origin, report)
  const vocabulary = readVocabulary(doc.statuses, report)
  if (!isPlain(doc.domains) || Object.keys(doc.domains).length === 0) {
    report('domains', 'must be a mapping of at least one domain')
    return events
  }

  for (const [domain, actions] of Object.entries(doc.domains)) {
    const domainEntry = `domains.${domain}`
    if (!wordsPattern.test(domain)) report(domainEntry, `domain "${domain}" is not lowercase ASCII words joined by "_"`)
    if (!isPlain(actions) || Object.keys(actions).length === 0) {
      report(domainEntry, 'a domain is a mapping of at least one action')
      continue
    }

    for (const [action, body] of Object.entries(actions)) {
      const actionEntry = `${domainEntry}.${action}`
      if (!wordsPattern.test(action)) report(actionEntry, `action "${action}" is not lowercase ASCII words joined by "_"`)
      if (!isPlain(body)) {
        report(actionEntry, 'an action is a mapping with "statuses"')
        continue
      }
      checkKeys(body, actionKeys, actionEntry, report)
      const actionFields = parseFields(body.fields, `${actionEntry}.fields`, report)
      const actionAudit = parseAudit(body.audit, `${actionEntry}.audit`, report)
      const actionLevel = parseLevel(body.level, `${actionEntry}.level`, report)
      const actionDescription = parseDescription(body.description, `${actionEntry}.description`, report)

      for (const [status, statusSpec] of listStatuses(body.statuses, `${actionEntry}.statuses`, report)) {
        const statusEntry = `${actionEntry}.statuses.${status}`
        if (!wordsPattern.test(status)) {
          report(statusEntry, `status "${status}" is not lowercase ASCII words joined by "_"`)
        } else if (vocabulary !== undefined && !vocabulary.has(status)) {
          report(statusEntry, `status "${status}" is not in the catalog's top-level "statuses" list${didYouMean(status, vocabulary) || ' (add it there if it is meant)'}`)
        }
        if (statusSpec !== undefined) checkKeys(statusSpec, statusKeys, statusEntry, report)
        const ownFields = parseFields(statusSpec?.fields, `${statusEntry}.fields`, report)
        const fields: Record<string, FieldSpec> = { ...actionFields }
        for (const [name, field] of Object.entries(ownFields)) {
          const inherited = fields[name]
          if (inherited !== undefined && inherited.type !== field.type) {
            report(`${statusEntry}.fields.${name}`, `declared as ${field.type} here but as ${inherited.type} on the action`)
          }
          fields[name] = field
        }

        const name = `${domain}_${action}_${status}`
        const previous = origin.get(name)
        if (previous !== undefined) {
          report(statusEntry, `duplicate event "${name}", already declared at ${previous}`)
          continue
        }
        origin.set(name, statusEntry)

        const level = parseLevel(statusSpec?.level, `${statusEntry}.level`, report) ?? actionLevel
        const description = parseDescription(statusSpec?.description, `${statusEntry}.description`, report) ?? actionDescription
        events[name] = {
          domain,
          action,
          status,
          audit: parseAudit(statusSpec?.audit, `${statusEntry}.audit`, report) ?? actionAudit ?? false,
          ...(level === undefined ? {} : { level }),
          ...(description === undefined ? {} : { description }),
          fields
        }
      }
    }
  }
  return events
}

/**
 * Adds the events of the catalogs `include` names (`daslog`, or a catalog
 * file path) to `events`; an event two of them declare is reported at the second.
 */
function readIncludes (value: unknown, options: ParseCatalogOptions, events: Record<string, EventSpec>, origin: Map<string, string>, report: Report): void {
  if (value === undefined) return
  const names = typeof value === 'string' ? [value] : value
  if (!Array.isArray(names) || names.length === 0) {
    report('include', `include is a list of catalogs: "${defaultCatalogName}" (daslog's default catalog) or paths of catalog files`)
    return
  }
  const seen = new Set<string>()
  for (const [i, name] of names.entries()) {
    const entry = typeof value === 'string' ? 'include' : `include[${i}]`
    if (typeof name !== 'string') {
      report(entry, `a catalog to include is a string, got ${JSON.stringify(name)}`)
      continue
    }
    if (seen.has(name)) {
      report(entry, `"${name}" is included twice`)
      continue
    }
    seen.add(name)
    const included = includedEvents(name, entry, options, report)
    if (included === undefined) continue
    const label = `${entry} (${name === defaultCatalogName ? 'daslog\'s default catalog' : name})`
    for (const [event, spec] of Object.entries(included)) {
      const previous = origin.get(event)
      if (previous !== undefined) {
        report(entry, `duplicate event "${event}": in ${label} and in ${previous}`)
        continue
      }
      origin.set(event, label)
      events[event] = spec
    }
  }
}

function includedEvents (name: string, entry: string, options: ParseCatalogOptions, report: Report): Readonly<Record<string, EventSpec>> | undefined {
  if (name === defaultCatalogName) return defaultCatalog.events
  if (!catalogFilePattern.test(name)) {
    report(entry, `unknown catalog "${name}"${didYouMean(name, [defaultCatalogName]) || ` (include "${defaultCatalogName}" for daslog's default catalog, or the path of a .yaml, .yml or .json catalog file)`}`)
    return undefined
  }
  if (options.includeFile === undefined) {
    report(entry, `"${name}" is a file: catalog files are included when the catalog is itself read from a file (daslog generate, daslog check)`)
    return undefined
  }
  try {
    return options.includeFile(name).events
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error
    report(entry, `cannot include "${name}": ${error.message}`)
    return undefined
  }
}

/**
 * The top-level `statuses` list: absent, any well-formed status is accepted
 * (undefined); present, the vocabulary is closed to its words.
 */
function readVocabulary (value: unknown, report: Report): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.length === 0) {
    report('statuses', 'the status vocabulary is a non-empty list of words (when present, a status outside it is an error)')
    return undefined
  }
  const vocabulary = new Set<string>()
  for (const [i, word] of value.entries()) {
    if (typeof word !== 'string' || !wordsPattern.test(word)) {
      report(`statuses[${i}]`, `${JSON.stringify(word)} is not lowercase ASCII words joined by "_"`)
    } else {
      vocabulary.add(word)
    }
  }
  return vocabulary
}

function checkKeys (value: Plain, allowed: ReadonlySet<string>, entry: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) report(`${entry}.${key}`, `unknown key "${key}"${didYouMean(key, allowed) || ` (expected one of: ${[...allowed].join(', ')})`}`)
  }
}

/** The statuses of an action, as [status, its own spec]; malformed entries are reported and left out. */
function listStatuses (value: unknown, entry: string, report: Report): Array<[string, Plain | undefined]> {
  const statuses: Array<[string, Plain | undefined]> = []
  if (Array.isArray(value)) {
    if (value.length === 0) report(entry, 'an action needs at least one status')
    const seen = new Set<string>()
    for (const [i, status] of value.entries()) {
      if (typeof status !== 'string') {
        report(`${entry}[${i}]`, `a status is a string, got ${JSON.stringify(status)}`)
      } else if (seen.has(status)) {
        report(`${entry}[${i}]`, `duplicate status "${status}"`)
      } else {
        seen.add(status)
        statuses.push([status, undefined])
      }
    }
    return statuses
  }
  if (isPlain(value) && Object.keys(value).length > 0) {
    for (const [status, spec] of Object.entries(value)) {
      if (spec === null) {
        statuses.push([status, undefined])
      } else if (isPlain(spec)) {
        statuses.push([status, spec])
      } else {
        report(`${entry}.${status}`, 'a status in a map is a mapping ({} for none) with optional "fields", "level", "audit"')
      }
    }
    return statuses
  }
  report(entry, 'an action needs "statuses": a list of statuses, or a map of status to { fields, level }')
  return statuses
}

function parseFields (value: unknown, entry: string, report: Report): Record<string, FieldSpec> {
  const fields: Record<string, FieldSpec> = {}
  if (value === undefined || value === null) return fields
  if (!isPlain(value)) {
    report(entry, 'fields are a mapping of field name to type')
    return fields
  }
  for (const [name, type] of Object.entries(value)) {
    const fieldEntry = `${entry}.${name}`
    if (!fieldNamePattern.test(name)) report(fieldEntry, `field name "${name}" is not an identifier`)
    if (reservedFieldNames.includes(name)) report(fieldEntry, `field name "${name}" is reserved (daslog writes it itself)`)
    const match = typeof type === 'string' ? fieldTypePattern.exec(type.trim()) : null
    if (match === null) {
      report(fieldEntry, `unknown field type ${JSON.stringify(type)} (expected ${fieldTypeNames.join(', ')}, each optionally followed by "?")`)
      continue
    }
    fields[name] = { type: match[1] as FieldTypeName, optional: match[2] === '?' }
  }
  return fields
}

function parseAudit (value: unknown, entry: string, report: Report): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value
  report(entry, 'audit is true or false')
  return undefined
}

function parseLevel (value: unknown, entry: string, report: Report): LevelName | undefined {
  if (value === undefined || isLevelName(value)) return value
  report(entry, `unknown level ${JSON.stringify(value)} (expected trace, debug, info, warn, error or fatal)`)
  return undefined
}

function parseDescription (value: unknown, entry: string, report: Report): string | undefined {
  if (value === undefined || typeof value === 'string') return value
  report(entry, 'a description is a string')
  return undefined
}

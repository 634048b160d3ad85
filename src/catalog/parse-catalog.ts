import { CatalogError } from '../errors.js'
import { isLevelName, type LevelName } from '../levels.js'
import { fieldTypeNames, type EventSpec, type FieldSpec, type FieldTypeName } from './types.js'
import { defaultStatuses, fieldNamePattern, reservedFieldNames, wordsPattern } from './vocabulary.js'

/** A validated catalog: every event by name, in the order the file declares them. */
export interface ParsedCatalog {
  readonly events: Record<string, EventSpec>
}

type Plain = Record<string, unknown>

const topLevelKeys = new Set(['$schema', 'description', 'statuses', 'domains'])
const actionKeys = new Set(['statuses', 'fields', 'audit', 'level', 'description'])
const statusKeys = new Set(['fields', 'audit', 'level', 'description'])
const fieldTypePattern = new RegExp(`^(${fieldTypeNames.map((t) => t.replace('[]', '\\[\\]')).join('|')})(\\?)?$`)

function isPlain (value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Validates a catalog document (already parsed from YAML or JSON) and
 * expands it into events. Throws a CatalogError naming the entry and the rule.
 */
export function parseCatalog (doc: unknown, file?: string): ParsedCatalog {
  const fail = (entry: string, rule: string): never => { throw new CatalogError(entry, rule, file) }

  if (!isPlain(doc)) fail('(root)', 'a catalog is a mapping with a "domains" key')
  const root = doc as Plain
  checkKeys(root, topLevelKeys, '(root)', fail)

  const vocabulary = new Set(defaultStatuses)
  if (root.statuses !== undefined) {
    if (!Array.isArray(root.statuses)) fail('statuses', 'the extra status vocabulary is a list of words')
    for (const [i, word] of (root.statuses as unknown[]).entries()) {
      if (typeof word !== 'string' || !wordsPattern.test(word)) fail(`statuses[${i}]`, `"${String(word)}" is not lowercase ASCII words joined by "_"`)
      vocabulary.add(word as string)
    }
  }

  if (!isPlain(root.domains) || Object.keys(root.domains).length === 0) fail('domains', 'must be a mapping of at least one domain')
  const events: Record<string, EventSpec> = {}
  const origin = new Map<string, string>()

  for (const [domain, actions] of Object.entries(root.domains as Plain)) {
    const domainEntry = `domains.${domain}`
    if (!wordsPattern.test(domain)) fail(domainEntry, `domain "${domain}" is not lowercase ASCII words joined by "_"`)
    if (!isPlain(actions) || Object.keys(actions).length === 0) fail(domainEntry, 'a domain is a mapping of at least one action')

    for (const [action, body] of Object.entries(actions as Plain)) {
      const actionEntry = `${domainEntry}.${action}`
      if (!wordsPattern.test(action)) fail(actionEntry, `action "${action}" is not lowercase ASCII words joined by "_"`)
      if (!isPlain(body)) fail(actionEntry, 'an action is a mapping with "statuses"')
      const spec = body as Plain
      checkKeys(spec, actionKeys, actionEntry, fail)
      const actionFields = parseFields(spec.fields, `${actionEntry}.fields`, fail)
      const actionAudit = parseAudit(spec.audit, `${actionEntry}.audit`, fail)
      const actionLevel = parseLevel(spec.level, `${actionEntry}.level`, fail)
      const actionDescription = parseDescription(spec.description, `${actionEntry}.description`, fail)

      for (const [status, statusSpec] of listStatuses(spec.statuses, `${actionEntry}.statuses`, fail)) {
        const statusEntry = `${actionEntry}.statuses.${status}`
        if (!wordsPattern.test(status)) fail(statusEntry, `status "${status}" is not lowercase ASCII words joined by "_"`)
        if (!vocabulary.has(status)) fail(statusEntry, `status "${status}" is outside the status vocabulary (add it to the top-level "statuses" list if it is meant)`)
        if (statusSpec !== undefined) checkKeys(statusSpec, statusKeys, statusEntry, fail)
        const ownFields = parseFields(statusSpec?.fields, `${statusEntry}.fields`, fail)
        const fields: Record<string, FieldSpec> = { ...actionFields }
        for (const [name, field] of Object.entries(ownFields)) {
          const inherited = fields[name]
          if (inherited !== undefined && inherited.type !== field.type) {
            fail(`${statusEntry}.fields.${name}`, `declared as ${field.type} here but as ${inherited.type} on the action`)
          }
          fields[name] = field
        }

        const name = `${domain}_${action}_${status}`
        const previous = origin.get(name)
        if (previous !== undefined) fail(statusEntry, `duplicate event "${name}", already declared at ${previous}`)
        origin.set(name, statusEntry)

        const level = parseLevel(statusSpec?.level, `${statusEntry}.level`, fail) ?? actionLevel
        const description = parseDescription(statusSpec?.description, `${statusEntry}.description`, fail) ?? actionDescription
        const event: EventSpec = {
          domain,
          action,
          status,
          audit: parseAudit(statusSpec?.audit, `${statusEntry}.audit`, fail) ?? actionAudit ?? false,
          ...(level === undefined ? {} : { level }),
          ...(description === undefined ? {} : { description }),
          fields
        }
        events[name] = event
      }
    }
  }
  return { events }
}

type Fail = (entry: string, rule: string) => never

function checkKeys (value: Plain, allowed: ReadonlySet<string>, entry: string, fail: Fail): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) fail(`${entry}.${key}`, `unknown key "${key}" (expected one of: ${[...allowed].join(', ')})`)
  }
}

function listStatuses (value: unknown, entry: string, fail: Fail): Array<[string, Plain | undefined]> {
  if (Array.isArray(value)) {
    if (value.length === 0) fail(entry, 'an action needs at least one status')
    const seen = new Set<string>()
    return value.map((status, i) => {
      if (typeof status !== 'string') fail(`${entry}[${i}]`, 'a status is a string')
      if (seen.has(status as string)) fail(`${entry}[${i}]`, `duplicate status "${status as string}"`)
      seen.add(status as string)
      return [status as string, undefined]
    })
  }
  if (isPlain(value) && Object.keys(value).length > 0) {
    return Object.entries(value).map(([status, spec]) => {
      if (spec !== null && !isPlain(spec)) fail(`${entry}.${status}`, 'a status in a map is a mapping ({} for none) with optional "fields", "level", "audit"')
      return [status, spec === null ? undefined : spec as Plain]
    })
  }
  return fail(entry, 'an action needs "statuses": a list of statuses, or a map of status to { fields, level }')
}

function parseFields (value: unknown, entry: string, fail: Fail): Record<string, FieldSpec> {
  if (value === undefined || value === null) return {}
  if (!isPlain(value)) return fail(entry, 'fields are a mapping of field name to type')
  const fields: Record<string, FieldSpec> = {}
  for (const [name, type] of Object.entries(value)) {
    const fieldEntry = `${entry}.${name}`
    if (!fieldNamePattern.test(name)) fail(fieldEntry, `field name "${name}" is not an identifier`)
    if (reservedFieldNames.includes(name)) fail(fieldEntry, `field name "${name}" is reserved (daslog writes it itself)`)
    const match = typeof type === 'string' ? fieldTypePattern.exec(type.trim()) : null
    if (match === null) fail(fieldEntry, `unknown field type ${JSON.stringify(type)} (expected ${fieldTypeNames.join(', ')}, each optionally followed by "?")`)
    fields[name] = { type: match![1] as FieldTypeName, optional: match![2] === '?' }
  }
  return fields
}

function parseAudit (value: unknown, entry: string, fail: Fail): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') fail(entry, 'audit is true or false')
  return value as boolean
}

function parseLevel (value: unknown, entry: string, fail: Fail): LevelName | undefined {
  if (value === undefined) return undefined
  if (!isLevelName(value)) fail(entry, `unknown level ${JSON.stringify(value)} (expected trace, debug, info, warn, error or fatal)`)
  return value as LevelName
}

function parseDescription (value: unknown, entry: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') fail(entry, 'a description is a string')
  return value as string
}

import type { ParsedCatalog } from './parse-catalog.js'
import type { EventSpec, FieldSpec } from './types.js'

/** What changed between two versions of a catalog. */
export type CatalogChangeKind =
  // breaking: code that logs or reads the old events no longer works
  | 'event-removed'
  | 'event-renamed'
  | 'field-removed'
  | 'field-type-changed'
  | 'field-required'
  // the rest: nothing that worked stops working
  | 'event-added'
  | 'field-added'
  | 'field-optional'
  | 'level-changed'
  | 'audit-changed'
  | 'description-changed'

export interface CatalogChange {
  readonly kind: CatalogChangeKind
  /** A breaking change: callers of the old event, or readers of its records, break. */
  readonly breaking: boolean
  /** The event of the old catalog (or, for an added one, of the new). */
  readonly event: string
  readonly field?: string
  /** `auth_login_success: field "user_id" removed`. */
  readonly message: string
}

const breakingKinds: ReadonlySet<CatalogChangeKind> = new Set(['event-removed', 'event-renamed', 'field-removed', 'field-type-changed', 'field-required'])

/**
 * The changes from `before` to `after`, breaking ones first, each group in
 * the old catalog's order (added events in the new one's). An event removed
 * while one with the same fields and two of its three parts (domain, action,
 * status) was added is reported as renamed.
 */
export function diffCatalogs (before: ParsedCatalog, after: ParsedCatalog): CatalogChange[] {
  const changes: CatalogChange[] = []
  const add = (kind: CatalogChangeKind, event: string, detail: string, field?: string): void => {
    changes.push({ kind, breaking: breakingKinds.has(kind), event, ...(field === undefined ? {} : { field }), message: `${event}: ${detail}` })
  }
  const added = Object.keys(after.events).filter((name) => !Object.hasOwn(before.events, name))
  const renamedTo = new Set<string>()

  for (const [name, old] of Object.entries(before.events)) {
    const now = Object.hasOwn(after.events, name) ? after.events[name] : undefined
    if (now === undefined) {
      const renamed = renameOf(old, added.filter((candidate) => !renamedTo.has(candidate)), after)
      if (renamed === undefined) {
        add('event-removed', name, 'event removed')
      } else {
        renamedTo.add(renamed)
        add('event-renamed', name, `event renamed to ${renamed} (same fields)`)
      }
      continue
    }
    diffFields(old.fields, now.fields, (kind, detail, field) => { add(kind, name, detail, field) })
    if ((old.level ?? 'info') !== (now.level ?? 'info')) add('level-changed', name, `level ${old.level ?? 'info'} -> ${now.level ?? 'info'}`)
    if (old.audit !== now.audit) add('audit-changed', name, now.audit ? 'now an audit event' : 'no longer an audit event')
    if (old.description !== now.description) add('description-changed', name, 'description changed')
  }
  for (const name of added) {
    if (!renamedTo.has(name)) add('event-added', name, 'event added')
  }
  return [...changes.filter((change) => change.breaking), ...changes.filter((change) => !change.breaking)]
}

function diffFields (
  old: Readonly<Record<string, FieldSpec>>,
  now: Readonly<Record<string, FieldSpec>>,
  add: (kind: CatalogChangeKind, detail: string, field: string) => void
): void {
  for (const [field, before] of Object.entries(old)) {
    const after = Object.hasOwn(now, field) ? now[field] : undefined
    if (after === undefined) {
      add('field-removed', `field "${field}" removed`, field)
      continue
    }
    if (before.type !== after.type) add('field-type-changed', `field "${field}" changed type: ${before.type} -> ${after.type}`, field)
    if (before.optional && !after.optional) add('field-required', `field "${field}" made required`, field)
    if (!before.optional && after.optional) add('field-optional', `field "${field}" made optional`, field)
  }
  for (const [field, after] of Object.entries(now)) {
    if (Object.hasOwn(old, field)) continue
    if (after.optional) add('field-added', `optional field "${field}" (${after.type}) added`, field)
    else add('field-required', `required field "${field}" (${after.type}) added`, field)
  }
}

/** The one added event that looks like `old` renamed: the same fields, and two of its three parts the same. */
function renameOf (old: EventSpec, added: readonly string[], after: ParsedCatalog): string | undefined {
  const matches = added.filter((name) => {
    const spec = after.events[name]!
    const sameParts = Number(spec.domain === old.domain) + Number(spec.action === old.action) + Number(spec.status === old.status)
    return sameParts >= 2 && sameFields(old.fields, spec.fields)
  })
  return matches.length === 1 ? matches[0] : undefined
}

function sameFields (a: Readonly<Record<string, FieldSpec>>, b: Readonly<Record<string, FieldSpec>>): boolean {
  const names = Object.keys(a)
  return names.length === Object.keys(b).length &&
    names.every((name) => Object.hasOwn(b, name) && b[name]!.type === a[name]!.type && b[name]!.optional === a[name]!.optional)
}

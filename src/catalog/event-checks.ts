import type { Catalog, FieldTypeName } from './types.js'

type Fields = Readonly<Record<string, unknown>>

/**
 * The problems of one record of an event, or undefined when it has none.
 * A declared field is looked up in the call's fields, then in the
 * `withContext` fields, then in the bound ones, then in the logger's `base`
 * fields: the record carries them all.
 */
export type EventCheck = (call: Fields | undefined, context: Fields | undefined, bound: Fields) => string[] | undefined

/** What the JSON Schema of the catalog (json-schema.ts) accepts for each type, as the value is before serialization. */
const typeTests: Record<FieldTypeName, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  // NaN and Infinity are written as null
  number: (value) => Number.isFinite(value),
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  'string[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
  'number[]': (value) => Array.isArray(value) && value.every((item) => Number.isFinite(item)),
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value)
}

interface FieldCheck {
  readonly name: string
  readonly type: FieldTypeName
  readonly test: (value: unknown) => boolean
  readonly required: boolean
  /** `constructor`, `toString`, ...: every object has one, so only an own property counts. */
  readonly inherited: boolean
}

/**
 * One check per event of the catalog, compiled once: a valid record costs a
 * loop over its declared fields, with no allocation. `exempt` names events
 * that are not in the catalog but are never a problem (daslog's own);
 * `base` the fields every record of the logger carries (pino's `base`).
 */
export function compileEventChecks (catalog: Catalog, exempt: readonly string[] = [], base: Fields = {}): Map<string, EventCheck> {
  const checks = new Map<string, EventCheck>()
  for (const name of exempt) checks.set(name, passes)
  for (const [name, spec] of Object.entries(catalog.events)) {
    const fields: FieldCheck[] = Object.entries(spec.fields).map(([field, { type, optional }]) => ({
      name: field, type, test: typeTests[type], required: !optional, inherited: field in Object.prototype
    }))
    checks.set(name, fields.length === 0 ? passes : eventCheck(fields, base))
  }
  return checks
}

/** The check of an event that declares no fields, or of one already reported. */
export const passes: EventCheck = () => undefined

const notInCatalog: readonly string[] = ['not an event of the catalog']

/** The check of a name that is not in the catalog. */
export const unknownEvent: EventCheck = () => notInCatalog as string[]

function eventCheck (fields: readonly FieldCheck[], base: Fields): EventCheck {
  return (call, context, bound) => {
    let problems: string[] | undefined
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!
      let value = valueIn(call, field)
      if (value === undefined) value = valueIn(context, field)
      if (value === undefined) value = valueIn(bound, field)
      if (value === undefined) value = valueIn(base, field)
      if (value === undefined) {
        if (field.required) (problems ??= []).push(`missing required field "${field.name}" (${field.type})`)
      } else if (!field.test(value)) {
        (problems ??= []).push(`field "${field.name}" should be ${field.type}, got ${describe(value)}`)
      }
    }
    return problems
  }
}

function valueIn (fields: Fields | undefined, field: FieldCheck): unknown {
  if (fields === undefined) return undefined
  if (field.inherited && !Object.hasOwn(fields, field.name)) return undefined
  return fields[field.name]
}

function describe (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? 'integer' : 'number') : `${value} (written as null)`
  return typeof value
}

/** An event name as a message shows it: as it is when it is a plain name, else JSON-quoted (no control characters reach a terminal), cut at 100 characters. */
export function eventLabel (event: string): string {
  return /^[a-z0-9_]{1,100}$/.test(event) ? event : JSON.stringify(event.slice(0, 100))
}

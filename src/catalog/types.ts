import type { LevelName } from '../levels.js'

/** The field types a catalog may declare (each may be followed by `?` in the catalog file). */
export const fieldTypeNames = ['string', 'number', 'integer', 'boolean', 'string[]', 'number[]', 'object'] as const
export type FieldTypeName = (typeof fieldTypeNames)[number]

export interface FieldSpec {
  readonly type: FieldTypeName
  readonly optional: boolean
}

/** One event of a catalog, as the runtime sees it. */
export interface EventSpec {
  readonly domain: string
  readonly action: string
  readonly status: string
  /** An audit event: its fields are its schema (CSV `columns: 'audit'`). */
  readonly audit: boolean
  /** The level the catalog suggests for this event, when it names one. */
  readonly level?: LevelName
  readonly description?: string
  readonly fields: Readonly<Record<string, FieldSpec>>
}

/** Declared fields per event name: `{ auth_login_success: { user_id: string } }`. */
export type EventFieldMap = object

/**
 * A runtime catalog. `F` is a type-only brand carrying the generated field
 * types, so `createLogger({ catalog })` types the logger from it.
 */
export interface Catalog<F extends EventFieldMap = EventFieldMap> {
  readonly events: Readonly<Record<string, EventSpec>>
  /** Type-only; never set at runtime. */
  readonly __fields?: F
}

/** Used by generated modules: ties the runtime events to their generated field types. */
export function defineCatalog<F extends EventFieldMap> (catalog: { events: Record<string, EventSpec> }): Catalog<F> {
  return Object.freeze({ events: Object.freeze(catalog.events) })
}

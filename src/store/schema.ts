import type { Catalog, FieldSpec } from '../catalog/types.js'
import { StoreError } from './store-error.js'

/** The table a store uses when none is named. */
export const defaultTable = 'daslog_events'

const identifier = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * A table name as SQL: `daslog_events` or `audit.daslog_events`, each part a
 * lowercase identifier (checked once, when the store opens: a table name is
 * configuration, never record data), quoted.
 */
export function tableSql (table: string): string {
  const parts = table.split('.')
  if (parts.length > 2 || !parts.every((part) => identifier.test(part))) {
    throw new StoreError('table', `"${table}" is not a table name (lowercase letters, digits and "_", optionally after a schema and a dot)`)
  }
  return parts.map((part) => `"${part}"`).join('.')
}

/** An index or lock name made from the table's (unquoted, schema dropped: indexes live beside their table). */
function baseName (table: string): string {
  return table.split('.').at(-1)!
}

/**
 * The table and its indexes, idempotent, as one script. Several processes
 * may migrate at once (every transport worker does when it starts): a
 * transaction-scoped advisory lock makes them take turns, so two `CREATE
 * TABLE IF NOT EXISTS` never race on the catalog.
 */
export function tableDdl (table: string): string {
  const name = tableSql(table)
  const base = baseName(table)
  return `BEGIN;
SELECT pg_advisory_xact_lock(hashtext('daslog migrate ${table}'));
CREATE TABLE IF NOT EXISTS ${name} (
  event_id uuid PRIMARY KEY,
  time timestamptz NOT NULL,
  level smallint,
  event text NOT NULL,
  domain text,
  action text,
  status text,
  correlation_id text,
  service text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX IF NOT EXISTS "${base}_event_time" ON ${name} (event, time);
CREATE INDEX IF NOT EXISTS "${base}_correlation_id" ON ${name} (correlation_id);
CREATE INDEX IF NOT EXISTS "${base}_time" ON ${name} (time);
CREATE INDEX IF NOT EXISTS "${base}_data" ON ${name} USING gin (data);
COMMIT;
`
}

/** How a field of a catalog type reads from `data` as a typed column; a value of another JSON type reads as NULL, so one odd row never breaks the view. */
function columnSql (field: string, spec: FieldSpec): string {
  const value = `data->${quoteLiteral(field)}`
  const text = `data->>${quoteLiteral(field)}`
  const when = (jsonType: string, expression: string): string => `CASE WHEN jsonb_typeof(${value}) = '${jsonType}' THEN ${expression} END`
  switch (spec.type) {
    case 'string': return `${text}`
    case 'number': return when('number', `(${text})::numeric`)
    case 'integer': return when('number', `(${text})::numeric::bigint`)
    case 'boolean': return when('boolean', `(${text})::boolean`)
    default: return `${value}`
  }
}

function quoteLiteral (text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

function quoteIdentifier (text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}

/**
 * One view per audit event of the catalog, named after the event, in the
 * table's schema: the row's own columns, then the event's fields as typed
 * columns (`amount numeric`), so an analyst can `SELECT` an audit event like
 * a table. Dropped and made again, so a changed catalog changes the view.
 */
export function auditViewsDdl (catalog: Catalog, table: string): string {
  const name = tableSql(table)
  const schema = table.includes('.') ? `${quoteIdentifier(table.split('.')[0]!)}.` : ''
  const views: string[] = []
  for (const [event, spec] of Object.entries(catalog.events)) {
    if (!spec.audit) continue
    const view = `${schema}${quoteIdentifier(event)}`
    const fields = Object.entries(spec.fields).map(([field, fieldSpec]) => `,\n  ${columnSql(field, fieldSpec)} AS ${quoteIdentifier(field)}`).join('')
    views.push(`DROP VIEW IF EXISTS ${view};
CREATE VIEW ${view} AS SELECT event_id, time, level, correlation_id, service${fields}
  FROM ${name} WHERE event = ${quoteLiteral(event)};
`)
  }
  return views.length === 0 ? '' : `BEGIN;\n${views.join('')}COMMIT;\n`
}

/** What `daslog schema` prints and `migrate()` runs: the table, its indexes, and the audit views of `catalog` if given. */
export function schemaDdl (table: string, catalog?: Catalog): string {
  return tableDdl(table) + (catalog === undefined ? '' : auditViewsDdl(catalog, table))
}

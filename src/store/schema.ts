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
ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS chain_key text, ADD COLUMN IF NOT EXISTS seq bigint,
  ADD COLUMN IF NOT EXISTS prev_hash text, ADD COLUMN IF NOT EXISTS hash text;
CREATE INDEX IF NOT EXISTS "${base}_chain" ON ${name} (chain_key, seq, event_id) WHERE seq IS NOT NULL;
CREATE INDEX IF NOT EXISTS "${base}_event_time" ON ${name} (event, time);
CREATE INDEX IF NOT EXISTS "${base}_correlation_id" ON ${name} (correlation_id);
CREATE INDEX IF NOT EXISTS "${base}_time" ON ${name} (time);
CREATE INDEX IF NOT EXISTS "${base}_data" ON ${name} USING gin (data);
COMMIT;
`
}

/** The columns `tableDdl` adds to a table made before them (the hash chain's), and the indexes it makes, by name. */
const addedColumns = ['chain_key', 'seq', 'prev_hash', 'hash'] as const
const indexSuffixes = ['chain', 'event_time', 'correlation_id', 'time', 'data'] as const

/**
 * A catalog read (no lock on the table) whose one row says whether the table
 * exists with every column and index `tableDdl` makes: then `migrate()` skips
 * that DDL, whose `ALTER TABLE` (an ACCESS EXCLUSIVE lock, queueing every
 * reader and writer behind it) and `CREATE INDEX IF NOT EXISTS` (a SHARE lock,
 * waiting for every open insert) would otherwise run at each worker's start.
 */
export function tableReadyQuery (table: string): { sql: string, params: unknown[] } {
  const base = baseName(table)
  return {
    sql: `SELECT c.oid IS NOT NULL
  AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = ANY($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped) = cardinality($2::text[])
  AND (SELECT count(*) FROM pg_class i WHERE i.relnamespace = c.relnamespace AND i.relname = ANY($3::text[])) = cardinality($3::text[]) AS ready,
  (SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE t.tgrelid = c.oid AND t.tgenabled = 'O' AND p.proname = 'daslog_reject_change' AND p.prosrc = $4
      AND ((t.tgname = $5 AND t.tgtype = ${rowTriggerType}) OR (t.tgname = $6 AND t.tgtype = ${truncateTriggerType}))) = 2 AS append_only
FROM (SELECT to_regclass($1) AS oid) r LEFT JOIN pg_class c ON c.oid = r.oid`,
    params: [tableSql(table), addedColumns, indexSuffixes.map((suffix) => `${base}_${suffix}`), rejectChangeBody, `${base}_append_only`, `${base}_append_only_truncate`]
  }
}

/** pg_trigger.tgtype of `appendOnlyDdl`'s triggers: ROW (1) | BEFORE (2) | DELETE (8) | UPDATE (16), and BEFORE (2) | TRUNCATE (32). */
const rowTriggerType = 27
const truncateTriggerType = 34

/** The body of `appendOnlyDdl`'s function, as PostgreSQL keeps it (pg_proc.prosrc): a function of another body is replaced. */
const rejectChangeBody = `
BEGIN
  RAISE EXCEPTION 'daslog: % on %.% is rejected: the table is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
`

/**
 * Triggers that reject UPDATE, DELETE and TRUNCATE on the table (`daslog
 * schema --append-only`): defence in depth, since the table's owner or a
 * superuser can drop them; the hash chain is what shows a change. Their
 * DROP and CREATE lock the table against every insert, so `migrate()` runs
 * this only when `tableReadyQuery` finds them missing, disabled or
 * different (another daslog's function body among them).
 */
export function appendOnlyDdl (table: string): string {
  const name = tableSql(table)
  const base = baseName(table)
  const schema = table.includes('.') ? `${quoteIdentifier(table.split('.')[0]!)}.` : ''
  const fn = `${schema}"daslog_reject_change"`
  return `BEGIN;
CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $daslog$${rejectChangeBody}$daslog$;
DROP TRIGGER IF EXISTS "${base}_append_only" ON ${name};
CREATE TRIGGER "${base}_append_only" BEFORE UPDATE OR DELETE ON ${name} FOR EACH ROW EXECUTE FUNCTION ${fn}();
DROP TRIGGER IF EXISTS "${base}_append_only_truncate" ON ${name};
CREATE TRIGGER "${base}_append_only_truncate" BEFORE TRUNCATE ON ${name} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
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

/**
 * What `daslog schema` prints and `migrate()` runs: the table, its indexes
 * (and chain columns), the audit views of `catalog` if given, and the
 * append-only triggers if asked for. `tableReady` (from `tableReadyQuery`)
 * leaves out the table's DDL, which has nothing to do.
 */
export function schemaDdl (table: string, catalog?: Catalog, options: { appendOnly?: boolean, tableReady?: boolean, appendOnlyReady?: boolean } = {}): string {
  return (options.tableReady === true ? '' : tableDdl(table)) + (catalog === undefined ? '' : auditViewsDdl(catalog, table)) +
    (options.appendOnly === true && options.appendOnlyReady !== true ? appendOnlyDdl(table) : '')
}

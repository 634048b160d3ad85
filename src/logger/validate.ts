import { compileEventChecks, eventLabel, passes, unknownEvent } from '../catalog/event-checks.js'
import type { Catalog } from '../catalog/types.js'
import { currentContext } from './context.js'
import type { LogFn } from './log-method.js'
import { toSafeValue } from './safe-value.js'

/** `validate`: check each record against the catalog; `warn` reports once per event, `strict` also adds `schema_errors`. */
export type ValidateMode = 'warn' | 'strict'

/** At most this many names outside the catalog are reported (and remembered as reported): names made at run time are unbounded. */
const maxUnknownReported = 1_000

/**
 * Wraps the level methods of a logger so that every call is checked against
 * the catalog first (with validation off, the methods are left as they are
 * and cost nothing more). A record with problems is still written: with
 * `warn` as it is, with `strict` with `schema_errors` added. The first
 * problem record of each event is reported as a process warning
 * (`DASLOG_SCHEMA`) naming the event and the fields. A check never throws.
 * `exempt` names daslog's own events, which are never reported; `base` is
 * pino's `base` option, fields every record carries.
 */
export function validatingMethods<L extends string> (
  methods: Record<L, LogFn>, catalog: Catalog, mode: ValidateMode, exempt: readonly string[], base: Readonly<Record<string, unknown>> | null | undefined
): Record<L, LogFn> {
  const checks = compileEventChecks(catalog, exempt, base ?? {})
  const limit = checks.size + maxUnknownReported
  const reported = new Set<string>()
  const strict = mode === 'strict'

  /** The first problem record of each event is reported; with `warn` there is nothing more to do for that event. */
  function report (event: string, problems: readonly string[]): void {
    if (reported.size >= limit) return
    reported.add(event)
    if (!strict) checks.set(event, passes)
    process.emitWarning(`daslog: ${eventLabel(String(event))}: ${problems.join('; ')} (validate: '${mode}'; reported once per event)`, { code: 'DASLOG_SCHEMA' })
  }

  const wrapped = {} as Record<L, LogFn>
  for (const level of Object.keys(methods) as L[]) {
    const method = methods[level]
    wrapped[level] = function validated (event, fields) {
      const check = checks.get(event) ?? unknownEvent
      let problems: string[] | undefined
      try {
        problems = check(isFields(fields) ? fields : undefined, currentContext(), this._bindings)
      } catch {
        // a throwing getter: the record goes on to pino's own fallback, unchecked
      }
      if (problems === undefined) return method.call(this, event, fields)
      if (!reported.has(event)) report(event, problems)
      method.call(this, event, strict ? withSchemaErrors(fields, problems) : fields)
    }
  }
  return wrapped
}

function isFields (fields: unknown): fields is Readonly<Record<string, unknown>> {
  return typeof fields === 'object' && fields !== null && !(fields instanceof Error)
}

/** The call's fields with `schema_errors` added, in the shape the level method takes them. */
function withSchemaErrors (fields: unknown, problems: readonly string[]): unknown {
  const schema_errors = [...problems]
  if (fields === undefined || fields === null) return { schema_errors }
  if (fields instanceof Error) return { err: fields, schema_errors }
  if (typeof fields !== 'object') return { value: fields, schema_errors }
  try {
    return Object.assign({}, fields, { schema_errors })
  } catch {
    // a throwing getter: replaced by a marker, as pino's fallback would
    return Object.assign({}, toSafeValue(fields), { schema_errors })
  }
}

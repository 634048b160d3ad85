import { levelNameOf } from '../../src/levels.js'
import type { LogRecord } from './runtime.js'

/** One field of an alert, its value as text (objects as JSON). */
export interface AlertField {
  readonly name: string
  readonly value: string
}

/**
 * What alert templates (email, sms) see of a record: every field of the
 * record, with `level` as its name, `time` as ISO 8601, and `fields` listing
 * the record's own fields (not level, time, event, correlation_id, pid,
 * hostname, event_id) for tables. `record` is the record as it came.
 */
export interface AlertView extends Record<string, unknown> {
  readonly event: string
  readonly level: string
  readonly time: string
  readonly correlation_id: string
  readonly fields: readonly AlertField[]
  readonly record: LogRecord
}

/** Not listed in `fields`: the record's lead, pino's process fields, and its event id (metadata; a template asks for `{{event_id}}`). */
const leadFields = new Set(['level', 'time', 'event', 'correlation_id', 'pid', 'hostname', 'msg', 'event_id'])

export function alertView (record: LogRecord): AlertView {
  const fields: AlertField[] = []
  for (const [name, value] of Object.entries(record)) {
    if (!leadFields.has(name) && value !== undefined) fields.push({ name, value: fieldText(value) })
  }
  return {
    ...record,
    event: typeof record.event === 'string' ? record.event : String(record.msg ?? ''),
    level: typeof record.level === 'number' ? levelNameOf(record.level) : String(record.level ?? ''),
    time: typeof record.time === 'number' ? new Date(record.time).toISOString() : String(record.time ?? ''),
    correlation_id: typeof record.correlation_id === 'string' ? record.correlation_id : '',
    fields,
    record
  }
}

export function fieldText (value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return String(value)
}

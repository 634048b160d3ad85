import type { LogRecord } from '../shared/runtime.js'

/**
 * What one record becomes in a request body: the configured extra fields
 * added (they win over the record's own fields of the same name), then, with
 * `flattenPayload`, nested objects turned into `a.b.c` keys.
 */
export function payloadShaper (extraArgs: Readonly<Record<string, unknown>>, flatten: boolean): (record: LogRecord) => LogRecord {
  const hasExtra = Object.keys(extraArgs).length > 0
  if (!hasExtra && !flatten) return (record) => record
  return (record) => {
    const shaped = hasExtra ? { ...record, ...extraArgs } : record
    return flatten ? flattened(shaped) : shaped
  }
}

/**
 * Nested plain objects become dotted keys (`{ a: { b: 1 } }` → `{ 'a.b': 1 }`);
 * arrays and empty objects stay values.
 */
export function flattened (record: Readonly<Record<string, unknown>>): LogRecord {
  const out: LogRecord = {}
  const walk = (value: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const [key, field] of Object.entries(value)) {
      const name = prefix + key
      if (isNested(field)) walk(field, name + '.')
      else out[name] = field
    }
  }
  walk(record, '')
  return out
}

function isNested (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0
}

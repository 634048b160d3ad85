import { integerFieldsOption } from '../../src/config/option-checks.js'

export interface BatchOptions {
  readonly size: number
  readonly intervalMs: number
}

/** `batch: { size, intervalMs }` (each defaulted on its own), `true` or undefined for the defaults, `false` for none. */
export function batchOption (value: unknown, defaults: BatchOptions): BatchOptions | false {
  if (value === false) return false
  if (value === undefined || value === true) return defaults
  return integerFieldsOption('batch', value, {
    size: { fallback: defaults.size, min: 1, max: 10_000 },
    intervalMs: { fallback: defaults.intervalMs, min: 0, max: 60_000 }
  })
}

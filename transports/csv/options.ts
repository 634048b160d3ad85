import { dirname, join, parse as parsePath, resolve } from 'node:path'
import { ConfigError } from '../../src/errors.js'
import { booleanOption, describe, optionObject, positiveIntegerOption, stringOption } from '../../src/config/option-checks.js'
import type { Catalog } from '../../src/catalog/types.js'
import type { OptionsSpec } from '../shared/common-options.js'
import { defaultColumns } from './format.js'

export interface CsvOptions {
  /** The active file; rotated files sit beside it, named from it. */
  readonly path: string
  readonly columns: readonly string[]
  readonly rotate: { readonly size: number | undefined, readonly daily: boolean }
  /** fsync after every batch (always at close and rotation). */
  readonly fsync: boolean
}

/** The columns every `'audit'` file starts with, before the audit events' own fields. */
const auditLead = ['time', 'level', 'event', 'correlation_id'] as const

/**
 * `columns: 'audit'`: the lead columns, then every field the catalog's audit
 * events declare (in catalog order), then `data` for anything else; and the
 * audit events' names, which the transport takes by default.
 */
export function auditColumns (catalog: Catalog): { columns: string[], events: string[] } {
  const columns = new Set<string>(auditLead)
  const events: string[] = []
  for (const [name, spec] of Object.entries(catalog.events)) {
    if (!spec.audit) continue
    events.push(name)
    for (const field of Object.keys(spec.fields)) columns.add(field)
  }
  columns.add('data')
  return { columns: [...columns], events }
}

/** Resolves `columns: 'audit'` against a catalog: the logger's in createLogger, the default one in a bare worker. */
export function withAuditColumns (options: Record<string, unknown>, catalog: Catalog): Record<string, unknown> {
  if (options.columns !== 'audit') return options
  const audit = auditColumns(catalog)
  if (audit.events.length === 0) throw new ConfigError('columns', '"audit" needs a catalog with audit events (audit: true), and this one has none')
  return { ...options, columns: audit.columns, events: options.events ?? audit.events }
}

function columnsOption (value: unknown): string[] {
  if (value === undefined) return [...defaultColumns]
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError('columns', `expected 'audit' or a non-empty array of column names, got ${describe(value)}`)
  const seen = new Set<string>()
  value.forEach((column, i) => {
    const name = stringOption(`columns[${i}]`, column)
    if (seen.has(name)) throw new ConfigError(`columns[${i}]`, `"${name}" is listed twice`)
    seen.add(name)
  })
  return value as string[]
}

function rotateOption (value: unknown): CsvOptions['rotate'] {
  if (value === undefined) return { size: undefined, daily: false }
  const rotate = optionObject('rotate', value, ['size', 'interval'])
  if (rotate.size === undefined && rotate.interval === undefined) throw new ConfigError('rotate', 'give size (bytes), interval (\'daily\') or both')
  if (rotate.interval !== undefined && rotate.interval !== 'daily') throw new ConfigError('rotate.interval', `expected 'daily', got ${describe(rotate.interval)}`)
  const size = rotate.size === undefined ? undefined : positiveIntegerOption('rotate.size', rotate.size)
  if (size !== undefined && size < 1024) throw new ConfigError('rotate.size', `expected at least 1024 bytes, got ${size}`)
  return { size, daily: rotate.interval === 'daily' }
}

export const csvOptionsSpec: OptionsSpec<CsvOptions> = {
  kind: 'csv',
  optionNames: ['path', 'columns', 'rotate', 'fsync'],
  prepare: withAuditColumns,
  parse (options) {
    if (options.path === undefined) throw new ConfigError('path', 'the CSV file to write is required')
    return {
      path: resolve(stringOption('path', options.path)),
      columns: columnsOption(options.columns),
      rotate: rotateOption(options.rotate),
      fsync: booleanOption('fsync', options.fsync, false)
    }
  },
  describe: (options) => options.path,
  defaultDeadLetter (options) {
    const { name } = parsePath(options.path)
    return join(dirname(options.path), `${name}.dead-letter.ndjson`)
  }
}

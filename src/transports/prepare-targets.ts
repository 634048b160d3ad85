import type { Catalog } from '../catalog/types.js'
import { isObject } from '../config/option-checks.js'
import { withAuditColumns } from '../../transports/csv/options.js'
import { parseTransportOptions } from '../../transports/shared/common-options.js'
import { ConfigError, TransportConfigError } from '../errors.js'
import { builtTransportFile, daslogTransportOf } from './known-transports.js'

/** A pino `transport` option, after daslog checked its own targets. */
export interface PreparedTransport {
  readonly transport: Record<string, unknown>
  /** How many of its targets are daslog transports. */
  readonly daslogTargets: number
  /** The longest close deadline among them: how long close() may wait for them to drain. */
  readonly closeTimeoutMs: number
}

/**
 * Checks the options of every daslog transport among the targets in the main
 * thread, so a bad option fails createLogger with an error naming the
 * transport, the target and the option, instead of a worker stack trace.
 * `columns: 'audit'` is resolved here against the logger's own catalog.
 */
export function prepareTransport (transport: Record<string, unknown>, catalog: Catalog, file: string | undefined): PreparedTransport {
  let daslogTargets = 0
  let closeTimeoutMs = 0
  const prepare = (entry: unknown, where: string): unknown => {
    if (!isObject(entry) || typeof entry.target !== 'string') return entry
    const spec = daslogTransportOf(entry.target)
    if (spec === undefined) return entry
    let options = entry.options
    try {
      if (spec.kind === 'csv' && isObject(options)) options = withAuditColumns(options, catalog)
    } catch (error) {
      if (error instanceof ConfigError) throw new TransportConfigError(spec.kind, error.option, error.problem, { target: where, file })
      throw error
    }
    const { common } = parseTransportOptions(spec, options, { target: where, file })
    daslogTargets++
    closeTimeoutMs = Math.max(closeTimeoutMs, common.closeTimeoutMs)
    return { ...entry, target: builtTransportFile(spec.kind) ?? entry.target, options }
  }
  const prepared: Record<string, unknown> = { ...transport }
  if (transport.target !== undefined) Object.assign(prepared, prepare(transport, 'transport'))
  for (const list of ['targets', 'pipeline'] as const) {
    const entries = transport[list]
    if (Array.isArray(entries)) prepared[list] = entries.map((entry, i) => prepare(entry, `transport.${list}[${i}]`))
  }
  return { transport: prepared, daslogTargets, closeTimeoutMs }
}

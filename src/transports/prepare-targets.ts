import type { Catalog } from '../catalog/types.js'
import { isObject } from '../config/option-checks.js'
import { defaultCloseTimeoutMs, parseTransportOptions } from '../../transports/shared/common-options.js'
import { builtTransportFile, daslogTransportOf } from './known-transports.js'

/** A pino `transport` option, after daslog checked its own targets. */
export interface PreparedTransport {
  readonly transport: Record<string, unknown>
  /** The longest close deadline among daslog's targets (the default when none): how long close() may wait for them to drain. */
  readonly closeTimeoutMs: number
}

/**
 * Checks the options of every daslog transport among the targets in the main
 * thread, so a bad option fails createLogger with an error naming the
 * transport, the target and the option, instead of a worker stack trace.
 * Shorthands (`columns: 'audit'`) are resolved here against the logger's own
 * catalog, and daslog's targets point at its built modules.
 */
export function prepareTransport (transport: Record<string, unknown>, catalog: Catalog, file: string | undefined): PreparedTransport {
  let closeTimeoutMs = defaultCloseTimeoutMs
  const prepare = (entry: unknown, where: string): unknown => {
    if (!isObject(entry) || typeof entry.target !== 'string') return entry
    const spec = daslogTransportOf(entry.target)
    if (spec === undefined) return entry
    const { common, prepared } = parseTransportOptions(spec, entry.options, { target: where, file }, catalog)
    closeTimeoutMs = Math.max(closeTimeoutMs, common.closeTimeoutMs)
    return { ...entry, target: builtTransportFile(spec.kind) ?? entry.target, options: prepared }
  }
  const prepared: Record<string, unknown> = { ...transport }
  if (transport.target !== undefined) Object.assign(prepared, prepare(transport, 'transport'))
  for (const list of ['targets', 'pipeline'] as const) {
    const entries = transport[list]
    if (Array.isArray(entries)) prepared[list] = entries.map((entry, i) => prepare(entry, `transport.${list}[${i}]`))
  }
  return { transport: prepared, closeTimeoutMs }
}

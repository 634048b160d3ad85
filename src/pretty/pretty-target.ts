import type { PrettyOptions } from './pretty-options.js'

/** The pino transport that prints records pino-pretty's way (daslog's own, with control characters removed). */
export const prettyTarget = 'daslog/transports/pretty'

/**
 * A pino `transport` option with the pretty console target added beside
 * what it already delivers to: a single `target` or a `pipeline` becomes
 * the first of two `targets`.
 */
export function withPrettyTarget (transport: Readonly<Record<string, unknown>>, pretty: PrettyOptions): Record<string, unknown> {
  const console = { target: prettyTarget, options: pretty }
  if (Array.isArray(transport.targets)) return { ...transport, targets: [...transport.targets, console] }
  const { levels, dedupe, ...single } = transport
  const worker: Record<string, unknown> = { targets: [single, console] }
  if (levels !== undefined) worker.levels = levels
  if (dedupe !== undefined) worker.dedupe = dedupe
  return worker
}

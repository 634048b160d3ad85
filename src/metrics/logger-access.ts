import type { SharedState } from '../logger/logger-core.js'

/** A daslog logger (any of its bound children too), as `createLogger` made it. */
export interface MetricsLogger {
  readonly stats: () => unknown
}

/** The state a logger shares with its children; a clear TypeError for anything that is not a daslog logger. */
export function sharedOf (logger: MetricsLogger): SharedState {
  const shared = (logger as { _shared?: SharedState } | null | undefined)?._shared
  if (shared?.eventTap === undefined) throw new TypeError('logger: expected a daslog logger (from createLogger), got ' + (logger === null ? 'null' : typeof logger))
  return shared
}

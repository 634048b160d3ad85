import { constants } from 'node:os'
import { ConfigError } from '../errors.js'
import { booleanOption, describe, inConfigFile, integerOption, optionObject } from '../config/option-checks.js'

/** How a logger takes part in the process's end. */
export interface ShutdownOptions {
  /** How long the end of the process may wait for the transports to deliver; what is left is dead-lettered. */
  readonly graceMs: number
  /** Signals on which daslog closes its transports and then re-raises the signal (when the application has no handler of its own). */
  readonly signals: readonly NodeJS.Signals[]
  /** Writes a `fatal` record for an uncaught exception (or unhandled rejection) before the process ends. */
  readonly uncaughtException: boolean
}

/** What `shutdown` may hold, as users write it. */
export interface ShutdownOptionsInput {
  readonly graceMs?: number
  readonly signals?: readonly NodeJS.Signals[] | false
  readonly uncaughtException?: boolean
}

export const defaultGraceMs = 5_000
/** thread-stream gives up waiting for its worker at exit after 10 s: the grace period ends before. */
export const maxGraceMs = 9_000
const defaultSignals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']

/** Checks `shutdown` (`false` keeps daslog away from signals and uncaught exceptions; exit still delivers). */
export function shutdownOptions (value: unknown, file?: string): ShutdownOptions {
  return inConfigFile(file, () => {
    if (value === false) return { graceMs: defaultGraceMs, signals: [], uncaughtException: false }
    const given = optionObject('shutdown', value, ['graceMs', 'signals', 'uncaughtException'])
    return {
      graceMs: given.graceMs === undefined ? defaultGraceMs : integerOption('shutdown.graceMs', given.graceMs, 0, maxGraceMs),
      signals: given.signals === undefined ? defaultSignals : signalsOption(given.signals),
      uncaughtException: booleanOption('shutdown.uncaughtException', given.uncaughtException, true)
    }
  })
}

function signalsOption (value: unknown): NodeJS.Signals[] {
  if (value === false) return []
  if (!Array.isArray(value)) throw new ConfigError('shutdown.signals', `expected an array of signal names or false, got ${describe(value)}`)
  value.forEach((signal, i) => {
    if (typeof signal !== 'string' || !(signal in constants.signals) || signal === 'SIGKILL' || signal === 'SIGSTOP') {
      throw new ConfigError(`shutdown.signals[${i}]`, `expected a signal name that can be handled (SIGTERM, SIGINT, SIGHUP, ...), got ${describe(signal)}`)
    }
  })
  return value as NodeJS.Signals[]
}

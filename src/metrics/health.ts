import { ConfigError } from '../errors.js'
import type { ConnectionState, TransportStats } from '../../transports/shared/protocol.js'
import type { WorkerHealth } from '../transports/transport-link.js'
import { sharedOf, type MetricsLogger } from './logger-access.js'

export type HealthStatus = 'ok' | 'degraded' | 'down'

/** One transport target, by its name. */
export interface TargetHealth {
  /** `up`; `connecting` before its first connection; `down` (circuit open, broker unreachable, worker gone); `closed` after close(). */
  readonly status: ConnectionState
  /** The transport's kind: webhook, email, csv… */
  readonly transport: string
  readonly queued: number
  /** Why it is down. */
  readonly error?: string
}

export interface Health {
  readonly status: HealthStatus
  readonly transports: Readonly<Record<string, TargetHealth>>
  /** Why the whole worker is not running (exited, closed, starting). */
  readonly error?: string
}

export interface HealthOptions {
  /**
   * The targets (by name) whose being down makes the service `down` (503);
   * another target down makes it `degraded` (200). Default: every target.
   */
  readonly critical?: readonly string[]
}

/** Checks `healthHandler`'s options once, at setup. */
export function healthOptions (options: unknown): { readonly critical: ((name: string) => boolean) } {
  if (options === undefined) return { critical: () => true }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ConfigError('healthHandler options', 'expected an object like { critical: [\'webhook-name\'] }')
  const { critical, ...rest } = options as HealthOptions
  const unknown = Object.keys(rest)
  if (unknown.length > 0) throw new ConfigError(`healthHandler options.${unknown[0]!}`, 'unknown option (the only one is critical)')
  if (critical === undefined) return { critical: () => true }
  if (!Array.isArray(critical) || critical.some((name) => typeof name !== 'string')) throw new ConfigError('healthHandler options.critical', 'expected an array of transport names')
  const names = new Set(critical)
  return { critical: (name) => names.has(name) }
}

/** What the transport worker and its targets look like now (from counters at most 250 ms old). */
export function healthOf (logger: MetricsLogger, critical: (name: string) => boolean): Health {
  const worker = sharedOf(logger).link?.health()
  // No transport worker (a destination stream, stdout): nothing to be down.
  if (worker === undefined) return { status: 'ok', transports: {} }
  const transports: Record<string, TargetHealth> = {}
  let status: HealthStatus = worker.state === 'running' ? 'ok' : worker.state === 'starting' ? 'degraded' : 'down'
  for (const stats of worker.transports) {
    const target = targetHealth(stats, worker)
    transports[stats.name] = target
    if (target.status === 'connecting' && status === 'ok') status = 'degraded'
    if (target.status === 'down' || target.status === 'closed') {
      if (critical(stats.name)) status = 'down'
      else if (status === 'ok') status = 'degraded'
    }
  }
  const error = worker.state === 'exited' ? worker.error : worker.state === 'closed' ? 'the logger was closed' : worker.state === 'starting' ? 'the transport worker is starting' : undefined
  return error === undefined ? { status, transports } : { status, transports, error }
}

function targetHealth (stats: TransportStats, worker: WorkerHealth): TargetHealth {
  const base = { transport: stats.transport, queued: stats.queued }
  if (worker.state === 'exited') return { ...base, status: 'down', error: worker.error! }
  if (worker.state === 'closed') return { ...base, status: 'closed' }
  const status = stats.connection ?? 'up'
  return status === 'down' ? { ...base, status, error: stats.lastError ?? 'disconnected' } : { ...base, status }
}

/** 1 when the target delivers (no connection to watch, or connected), else 0. */
export function isUp (stats: TransportStats, worker: WorkerHealth): boolean {
  return worker.state === 'running' && (stats.connection === undefined || stats.connection === 'up')
}

/** `/livez`: the process answers and its transport worker runs (starting counts as running). */
export function isLive (logger: MetricsLogger): { live: boolean, error?: string } {
  const worker = sharedOf(logger).link?.health()
  if (worker === undefined || worker.state === 'running' || worker.state === 'starting') return { live: true }
  return { live: false, error: worker.state === 'exited' ? worker.error! : 'the logger was closed' }
}

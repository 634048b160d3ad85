import { ConfigError } from '../errors.js'
import type { SharedState } from '../logger/logger-core.js'
import type { WorkerHealth } from '../transports/transport-link.js'
import type { TransportStats } from '../../transports/shared/protocol.js'
import { dropReasons, EventCounts } from './event-counts.js'
import { isUp } from './health.js'
import { sharedOf, type MetricsLogger } from './logger-access.js'
import { prom, type Registry } from './prom-client.js'

export interface MetricsOptions {
  /** The prom-client registry to register in; default prom-client's global `register`. */
  readonly registry?: Registry
  /** Put before every metric name; default `daslog_`. */
  readonly prefix?: string
}

export interface RegisteredMetrics {
  readonly registry: Registry
  /** Stops reporting this logger (its counts stay); the metrics stay registered while other loggers report to them. */
  unregister (): void
}

/** The loggers that report to one set of metrics (one registry and prefix). */
type Loggers = Set<SharedState>

const metricSets = new WeakMap<Registry, Map<string, Loggers>>()

/**
 * Registers daslog's metrics in a prom-client registry and starts counting
 * the records `logger` (and its bound children) writes and drops. Counting
 * happens in plain arrays on the hot path; prom-client gets the totals when
 * the registry is scraped, with the transport worker's counters as it last
 * reported them (within 250 ms of a change). Several loggers may report to
 * the same registry: their counts add up.
 */
export function registerMetrics (logger: MetricsLogger, options: MetricsOptions = {}): RegisteredMetrics {
  const shared = sharedOf(logger)
  const { registry, prefix } = metricsOptions(options)
  let sets = metricSets.get(registry)
  if (sets === undefined) metricSets.set(registry, sets = new Map())
  let loggers = sets.get(prefix)
  if (loggers === undefined) {
    sets.set(prefix, loggers = new Set())
    defineMetrics(registry, prefix, loggers)
  }
  shared.eventTap.counts ??= new EventCounts(shared.catalog)
  loggers.add(shared)
  const added = loggers
  return { registry, unregister: () => { added.delete(shared) } }
}

function metricsOptions (options: unknown): { registry: Registry, prefix: string } {
  if (typeof options !== 'object' || options === null) throw new ConfigError('registerMetrics options', 'expected an object like { registry, prefix }')
  const { registry = prom.register, prefix = 'daslog_', ...rest } = options as MetricsOptions
  const unknown = Object.keys(rest)
  if (unknown.length > 0) throw new ConfigError(`registerMetrics options.${unknown[0]!}`, 'unknown option (registry, prefix)')
  if (typeof (registry as Partial<Registry> | null)?.registerMetric !== 'function') throw new ConfigError('registerMetrics options.registry', 'expected a prom-client Registry')
  if (typeof prefix !== 'string' || !/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(prefix)) throw new ConfigError('registerMetrics options.prefix', `expected a Prometheus metric name prefix such as 'daslog_', got ${JSON.stringify(prefix)}`)
  return { registry, prefix }
}

function defineMetrics (registry: Registry, prefix: string, loggers: Loggers): void {
  const registers = [registry]
  // Each collect() starts over from the totals: counters are never inc'ed on the hot path.
  new prom.Counter({
    name: `${prefix}events_total`,
    help: 'Records written, by catalog event (others as event="other") and level',
    labelNames: ['event', 'level'],
    registers,
    collect () {
      this.reset()
      for (const shared of loggers) {
        for (const { event, level, count } of shared.eventTap.counts!.totals()) this.inc({ event, level }, count)
      }
    }
  })
  new prom.Counter({
    name: `${prefix}events_dropped_total`,
    help: 'Records not written: sampled out, rate-limited, dropped by a failing processor, or filtered by one',
    labelNames: ['reason'],
    registers,
    collect () {
      this.reset()
      for (const reason of dropReasons) {
        let count = 0
        for (const shared of loggers) count += shared.eventTap.counts!.drops[reason]
        this.inc({ reason }, count)
      }
    }
  })
  new prom.Counter({
    name: `${prefix}transport_records_total`,
    help: 'Records a transport target finished with, by outcome: delivered, dead_lettered, dropped',
    labelNames: ['target', 'outcome'],
    registers,
    collect () {
      this.reset()
      for (const { stats } of targets(loggers)) {
        this.inc({ target: stats.name, outcome: 'delivered' }, stats.delivered)
        this.inc({ target: stats.name, outcome: 'dead_lettered' }, stats.deadLettered)
        this.inc({ target: stats.name, outcome: 'dropped' }, stats.dropped)
      }
    }
  })
  new prom.Counter({
    name: `${prefix}transport_retries_total`,
    help: 'Records a transport target sent again after a failed try',
    labelNames: ['target'],
    registers,
    collect () {
      this.reset()
      for (const { stats } of targets(loggers)) this.inc({ target: stats.name }, stats.retried)
    }
  })
  new prom.Gauge({
    name: `${prefix}transport_queue_depth`,
    help: 'Records a transport target holds: queued or being delivered',
    labelNames: ['target'],
    registers,
    collect () {
      this.reset()
      for (const { stats } of targets(loggers)) this.inc({ target: stats.name }, stats.queued)
    }
  })
  new prom.Gauge({
    name: `${prefix}transport_up`,
    help: 'Whether a transport target can deliver: 1 when its worker runs and it is connected (or has no connection to watch), else 0',
    labelNames: ['target'],
    registers,
    collect () {
      this.reset()
      for (const { stats, worker } of targets(loggers)) this.set({ target: stats.name }, isUp(stats, worker) ? 1 : 0)
    }
  })
}

/** Every transport target of every logger, with its worker's state. */
function * targets (loggers: Loggers): Generator<{ stats: TransportStats, worker: WorkerHealth }> {
  for (const shared of loggers) {
    const worker = shared.link?.health()
    if (worker === undefined) continue
    for (const stats of worker.transports) yield { stats, worker }
  }
}

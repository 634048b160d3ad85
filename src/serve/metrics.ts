import { metricsHandler, type RequestHandler } from '../metrics/handlers.js'
import { prom, type Registry } from '../metrics/prom-client.js'

/**
 * The collector's own Prometheus metrics, on `daslog/metrics`' prom-client
 * and served by its `metricsHandler`: requests by route and status, events
 * accepted and duplicated, and how long the store takes.
 */
export interface ServeMetrics {
  readonly registry: Registry
  /** `GET /metrics`: `daslog/metrics`' handler over this registry. */
  readonly handler: RequestHandler
  request: (route: string, method: string, status: number) => void
  stored: (accepted: number, duplicates: number) => void
  /** Times one store call (`insert`, `query`, `ping`) and gives its result. */
  timed: <T>(operation: string, work: () => Promise<T>) => Promise<T>
}

export function serveMetrics (registry: Registry = new prom.Registry()): ServeMetrics {
  const requests = new prom.Counter({ name: 'daslog_serve_requests_total', help: 'HTTP requests answered, by route, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] })
  const accepted = new prom.Counter({ name: 'daslog_serve_events_accepted_total', help: 'Events stored', registers: [registry] })
  const duplicates = new prom.Counter({ name: 'daslog_serve_events_duplicates_total', help: 'Events received whose event_id was stored already (not stored twice)', registers: [registry] })
  const latency = new prom.Histogram({
    name: 'daslog_serve_store_seconds',
    help: 'Time a store call took, by operation and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry]
  })
  return {
    registry,
    handler: metricsHandler(registry),
    request: (route, method, status) => { requests.inc({ route, method, status: String(status) }) },
    stored: (a, d) => { accepted.inc(a); duplicates.inc(d) },
    timed: async (operation, work) => {
      const end = latency.startTimer({ operation })
      try {
        const result = await work()
        end({ outcome: 'ok' })
        return result
      } catch (error) {
        end({ outcome: 'error' })
        throw error
      }
    }
  }
}

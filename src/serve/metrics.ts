import { Counter, Histogram, Registry } from 'prom-client'

/**
 * The collector's own Prometheus metrics, all here so that they can move to
 * `daslog/metrics` in one place: requests by route and status, events
 * accepted and duplicated, and how long the store takes.
 */
export interface ServeMetrics {
  readonly registry: Registry
  request: (route: string, method: string, status: number) => void
  stored: (accepted: number, duplicates: number) => void
  /** Times one store call (`insert`, `query`, `ping`) and gives its result. */
  timed: <T>(operation: string, work: () => Promise<T>) => Promise<T>
}

export function serveMetrics (registry = new Registry()): ServeMetrics {
  const requests = new Counter({ name: 'daslog_serve_requests_total', help: 'HTTP requests answered, by route, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] })
  const accepted = new Counter({ name: 'daslog_serve_events_accepted_total', help: 'Events stored', registers: [registry] })
  const duplicates = new Counter({ name: 'daslog_serve_events_duplicates_total', help: 'Events received whose event_id was stored already (not stored twice)', registers: [registry] })
  const latency = new Histogram({
    name: 'daslog_serve_store_seconds',
    help: 'Time a store call took, by operation and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry]
  })
  return {
    registry,
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

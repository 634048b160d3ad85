import type { IncomingMessage, ServerResponse } from 'node:http'
import { healthOf, healthOptions, isLive, type HealthOptions } from './health.js'
import { sharedOf, type MetricsLogger } from './logger-access.js'
import { prom, type Registry } from './prom-client.js'

/** A request handler for node:http (`createServer(handler)`) and Express (`app.get(path, handler)`). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/** `GET /metrics`: the registry (default prom-client's global one) in the Prometheus text format. */
export function metricsHandler (registry: Registry = prom.register): RequestHandler {
  if (typeof (registry as Partial<Registry> | null)?.metrics !== 'function') throw new TypeError('metricsHandler(registry): expected a prom-client Registry')
  return async (_req, res) => {
    let body: string
    try {
      body = await registry.metrics()
    } catch (error) {
      send(res, 500, 'text/plain; charset=utf-8', `collecting the metrics failed: ${(error as Error).message}\n`)
      return
    }
    send(res, 200, registry.contentType, body)
  }
}

/**
 * `GET /healthz`: `{ status, transports }` with 200 when `ok` or `degraded`,
 * 503 when `down` (a target down, the worker gone, the logger closed).
 */
export function healthHandler (logger: MetricsLogger, options?: HealthOptions): RequestHandler {
  sharedOf(logger)
  const { critical } = healthOptions(options)
  return async (_req, res) => {
    const health = healthOf(logger, critical)
    sendJson(res, health.status === 'down' ? 503 : 200, health)
  }
}

/** `GET /readyz`: the health answer, 200 only when `ok` (every target connected), else 503. */
export function readyzHandler (logger: MetricsLogger, options?: HealthOptions): RequestHandler {
  sharedOf(logger)
  const { critical } = healthOptions(options)
  return async (_req, res) => {
    const health = healthOf(logger, critical)
    sendJson(res, health.status === 'ok' ? 200 : 503, health)
  }
}

/** `GET /livez`: 200 `{ status: 'ok' }` while the process and its transport worker run; 503 once the worker exited or the logger closed. */
export function livezHandler (logger: MetricsLogger): RequestHandler {
  sharedOf(logger)
  return async (_req, res) => {
    const { live, error } = isLive(logger)
    sendJson(res, live ? 200 : 503, live ? { status: 'ok' } : { status: 'down', error })
  }
}

function sendJson (res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body))
}

function send (res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status
  res.setHeader('content-type', contentType)
  res.setHeader('cache-control', 'no-store')
  res.end(body)
}

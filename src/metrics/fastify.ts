import type { IncomingMessage, ServerResponse } from 'node:http'
import { healthHandler, livezHandler, metricsHandler, readyzHandler } from './handlers.js'
import type { HealthOptions } from './health.js'
import type { MetricsLogger } from './logger-access.js'
import type { Registry } from './prom-client.js'

export interface FastifyMetricsOptions {
  readonly logger: MetricsLogger
  /** Default prom-client's global registry. */
  readonly registry?: Registry
  readonly health?: HealthOptions
}

/** The parts of a Fastify instance the plugin uses. */
interface FastifyLike {
  get (path: string, handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse, hijack (): void }) => Promise<void>): unknown
}

/**
 * A Fastify plugin serving `/metrics`, `/healthz`, `/livez` and `/readyz`:
 * `app.register(daslogMetricsPlugin, { logger, registry })`.
 */
export function daslogMetricsPlugin (fastify: FastifyLike, options: FastifyMetricsOptions, done: (error?: Error) => void): void {
  const routes = {
    '/metrics': metricsHandler(options.registry),
    '/healthz': healthHandler(options.logger, options.health),
    '/livez': livezHandler(options.logger),
    '/readyz': readyzHandler(options.logger, options.health)
  }
  for (const [path, handler] of Object.entries(routes)) {
    fastify.get(path, async (request, reply) => {
      // The handler answers on the raw response; Fastify leaves it alone.
      reply.hijack()
      await handler(request.raw, reply.raw)
    })
  }
  done()
}

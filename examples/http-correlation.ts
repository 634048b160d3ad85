// Correlation ids through HTTP services: npx tsx examples/http-correlation.ts
//
// Each request's X-Correlation-ID (or a new one, when the caller sent none)
// is bound with withContext, so every record logged while the request is
// handled, by any daslog logger and in every async continuation, carries it;
// it is echoed in the response and passed on to the services called. Two
// services on 127.0.0.1: "shop" (Express, correlationMiddleware) calls
// "inventory" (node:http, withCorrelation).
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AsyncResource } from 'node:async_hooks'
import { fileURLToPath } from 'node:url'
import express, { type RequestHandler } from 'express'
import { createLogger, Events, withContext, type Logger } from 'daslog'

export const correlationHeader = 'X-Correlation-ID'

/** The caller's correlation id if it looks like one (no spaces or control characters, at most 128), else a new UUID. */
export function correlationIdOf (request: IncomingMessage): string {
  const given = request.headers[correlationHeader.toLowerCase()]
  const value = Array.isArray(given) ? given[0] : given
  return value !== undefined && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID()
}

/**
 * Runs `handle` with the request's correlation id in context: echoed in the
 * response, and an api_request_started / api_request_completed pair logged
 * around it (the 'finish' listener bound to the request's context).
 */
function inRequestContext (log: Logger, request: IncomingMessage, response: ServerResponse, handle: () => void): void {
  const correlationId = correlationIdOf(request)
  response.setHeader(correlationHeader, correlationId)
  withContext({ correlation_id: correlationId }, () => {
    const started = performance.now()
    const fields = { method: request.method ?? 'GET', endpoint: request.url ?? '/' }
    log.info(Events.API_REQUEST_STARTED, fields)
    response.on('finish', AsyncResource.bind(() => {
      log.info(Events.API_REQUEST_COMPLETED, { ...fields, status_code: response.statusCode, duration_ms: Math.round(performance.now() - started) })
    }))
    handle()
  })
}

/** Express middleware: the rest of the chain runs in the request's context. */
export function correlationMiddleware (log: Logger): RequestHandler {
  return (request, response, next) => { inRequestContext(log, request, response, () => { next() }) }
}

/** The same for a plain node:http handler. */
export function withCorrelation (log: Logger, handler: (request: IncomingMessage, response: ServerResponse) => void): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => { inRequestContext(log, request, response, () => { handler(request, response) }) }
}

/** The header to pass on to the services a request calls: the id in context. */
export function forwardedHeaders (correlationId: string): Record<string, string> {
  return { [correlationHeader]: correlationId }
}

/** The inventory service (node:http): reserves stock. */
export function inventoryService (log: Logger): Server {
  return createServer(withCorrelation(log, (request, response) => {
    const orderId = request.url?.split('/').pop() ?? ''
    log.info(Events.INVENTORY_RESERVE_SUCCESS, { order_id: orderId, reservation_id: `res-${orderId}` })
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ reserved: true }))
  }))
}

/** The shop service (Express): takes an order and asks inventory to reserve it. */
export function shopService (log: Logger, inventoryUrl: string): Server {
  const app = express()
  app.use(correlationMiddleware(log))
  app.post('/orders/:id', async (request, response) => {
    const correlationId = String(response.getHeader(correlationHeader))
    const reply = await fetch(`${inventoryUrl}/reserve/${request.params.id}`, { method: 'POST', headers: forwardedHeaders(correlationId) })
    log.info(Events.ORDER_CREATE_SUCCESS, { order_id: request.params.id, customer_id: 'cus-7', total_amount: 42, currency: 'EUR', items_count: 1, order_status: reply.ok ? 'reserved' : 'pending' })
    response.status(201).json({ order: request.params.id })
  })
  return createServer(app)
}

export async function listen (server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const shopLog = createLogger({ config: false, base: { service: 'shop' } })
  const inventoryLog = createLogger({ config: false, base: { service: 'inventory' } })
  const inventory = inventoryService(inventoryLog)
  const shop = shopService(shopLog, await listen(inventory))
  const shopUrl = await listen(shop)

  for (const headers of [{ [correlationHeader]: 'c-from-the-client' }, {}]) {
    const response = await fetch(`${shopUrl}/orders/ORD-7`, { method: 'POST', headers })
    await response.arrayBuffer()
    console.log(`# POST /orders/ORD-7 sent ${JSON.stringify(headers)}: ${response.status}, ${correlationHeader}: ${response.headers.get(correlationHeader)}`)
  }
  shop.close()
  inventory.close()
  await Promise.all([shopLog.close(), inventoryLog.close()])
}

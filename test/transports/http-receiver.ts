import { readFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'

/** One request as the receiver got it. */
export interface Received {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** When it arrived (ms, Date.now()). */
  readonly at: number
}

/** How the receiver answers request number `n` (0-based): a status with headers and body, or 'hang' (never answers). */
export type Answer = { status: number, headers?: Record<string, string>, body?: string, delayMs?: number } | 'hang'

export interface Receiver {
  readonly url: string
  readonly received: Received[]
  /** Requests being handled right now, and the most there ever were at once. */
  readonly load: { current: number, max: number }
  /** Resolves once `count` requests arrived (rejects after `timeoutMs`). */
  waitFor (count: number, timeoutMs?: number): Promise<void>
  close (): Promise<void>
}

const fixtures = new URL('../fixtures/tls/', import.meta.url)

/**
 * A real HTTP (or HTTPS, with the self-signed test certificate) server on
 * 127.0.0.1 and a free port, answering as `answer` says, keeping every request.
 */
export async function startReceiver (answer: (request: Received, n: number) => Answer = () => ({ status: 200 }), tls = false): Promise<Receiver> {
  const received: Received[] = []
  const load = { current: 0, max: 0 }
  const hung = new Set<ServerResponse>()
  let waiters: Array<() => void> = []
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    load.current++
    load.max = Math.max(load.max, load.current)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const got: Received = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() }
      const n = received.push(got) - 1
      for (const wake of waiters) wake()
      const reply = answer(got, n)
      if (reply === 'hang') {
        hung.add(response)
        response.on('close', () => { load.current--; hung.delete(response) })
        return
      }
      setTimeout(() => {
        load.current--
        response.writeHead(reply.status, reply.headers).end(reply.body ?? '')
      }, reply.delayMs ?? 0)
    })
  }
  const server: Server = tls
    ? createHttpsServer({ key: readFileSync(new URL('key.pem', fixtures)), cert: readFileSync(new URL('cert.pem', fixtures)) }, handle)
    : createHttpServer(handle)
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/hook`,
    received,
    load,
    waitFor (count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`only ${received.length} of ${count} requests arrived within ${timeoutMs} ms`)) }, timeoutMs)
        const check = (): void => {
          if (received.length < count) return
          clearTimeout(timer)
          waiters = waiters.filter((wake) => wake !== check)
          resolve()
        }
        waiters.push(check)
        check()
      })
    },
    async close () {
      for (const response of hung) response.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    }
  }
}

/** Each request's body, parsed. */
export function bodies (receiver: Receiver): unknown[] {
  return receiver.received.map((request) => JSON.parse(request.body) as unknown)
}

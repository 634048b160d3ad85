import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'

/** One HTTP request as a local receiver got it. */
export interface ReceivedRequest {
  readonly method: string
  /** The path and query, as sent (`/webhook`). */
  readonly path: string
  readonly headers: IncomingHttpHeaders
  /** The body as UTF-8 text, exactly as received. */
  readonly body: string
  /** When it arrived (`Date.now()`). */
  readonly at: number
}

/**
 * How a local receiver answers one request: a status, with headers and a
 * body, optionally after `delayMs`; or `'hang'`, which never answers (the
 * connection is dropped at `close()`), to try timeouts.
 */
export type Answer =
  | { readonly status: number, readonly headers?: Readonly<Record<string, string>>, readonly body?: string, readonly delayMs?: number }
  | 'hang'

/**
 * The answers a test chooses: a list, for the first requests in order
 * (`[{ status: 503 }]` fails the first one only), or a function of what
 * arrived and its number (0-based). `undefined`, or a request past the end
 * of the list, gets the receiver's own answer.
 */
export type Answers<Request> = ReadonlyArray<Answer | undefined> | ((request: Request, n: number) => Answer | undefined)

/** The answer `answers` chooses for request `n`, if any. */
export function chosenAnswer<Request> (answers: Answers<Request> | undefined, request: Request, n: number): Answer | undefined {
  if (answers === undefined) return undefined
  return typeof answers === 'function' ? answers(request, n) : answers[n]
}

/** How many requests are being answered right now, and the most there ever were at once. */
export interface Load {
  readonly current: number
  readonly max: number
}

/** Where a local receiver listens. */
export interface ListenOptions {
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number
  /** Serve HTTPS with this key and certificate (PEM), e.g. a self-signed pair to try `sslVerify`. */
  readonly tls?: { readonly key: string | Buffer, readonly cert: string | Buffer }
}

export interface LocalServer {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string
  readonly port: number
  readonly requests: ReceivedRequest[]
  readonly load: Load
  close (): Promise<void>
}

/**
 * A real HTTP(S) server on 127.0.0.1 that keeps every request (body read in
 * full) and answers it as `respond` says. What the local receivers of
 * daslog/testing are built on.
 */
export async function startLocalServer (respond: (request: ReceivedRequest, n: number) => Answer, options: ListenOptions = {}): Promise<LocalServer> {
  const requests: ReceivedRequest[] = []
  const load = { current: 0, max: 0 }
  const hung = new Set<ServerResponse>()
  const handle = (incoming: IncomingMessage, response: ServerResponse): void => {
    load.current++
    load.max = Math.max(load.max, load.current)
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const request: ReceivedRequest = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() }
      const n = requests.push(request) - 1
      const answer = respond(request, n)
      if (answer === 'hang') {
        hung.add(response)
        response.on('close', () => { load.current--; hung.delete(response) })
        return
      }
      setTimeout(() => {
        load.current--
        response.writeHead(answer.status, answer.headers).end(answer.body ?? '')
      }, answer.delayMs ?? 0)
    })
  }
  const server: Server = options.tls === undefined ? createHttpServer(handle) : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle)
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const { port } = server.address() as AddressInfo
  return {
    origin: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    requests,
    load,
    async close () {
      for (const response of hung) response.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    }
  }
}

/**
 * Resolves once `count()` reaches `wanted`; rejects after `timeoutMs`
 * saying how many of what arrived (`only 2 of 3 mails arrived within 10000 ms`).
 */
export async function waitForCount (count: () => number, wanted: number, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (count() < wanted) {
    if (Date.now() > until) throw new Error(`only ${count()} of ${wanted} ${what} arrived within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown

/** A node:http server on 127.0.0.1 routing `GET <path>` to the handlers given; closed by the test's teardown. */
export async function serve (routes: Readonly<Record<string, Handler>>): Promise<{ url: string, close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const handler = routes[new URL(req.url ?? '/', 'http://x').pathname]
    if (handler === undefined) {
      res.statusCode = 404
      res.end()
      return
    }
    void handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => { resolve() }) })
  }
}

/** A Prometheus text exposition as `name{label="value",...}` → value (labels as prom-client writes them). */
export function parseExposition (text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    samples.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return samples
}

/** GETs `url/metrics` and parses it. */
export async function scrape (url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`)
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`)
  return parseExposition(await response.text())
}

/** The samples of one metric: labels text → value. */
export function samplesOf (samples: ReadonlyMap<string, number>, name: string): Record<string, number> {
  const found: Record<string, number> = {}
  for (const [key, value] of samples) {
    if (key === name) found[''] = value
    else if (key.startsWith(`${name}{`)) found[key.slice(name.length)] = value
  }
  return found
}

/** What the health endpoints answer. */
export interface HealthBody {
  readonly status: string
  readonly transports: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  readonly error?: string
}

/** GETs a health endpoint: its status and parsed body. */
export async function getJson (url: string): Promise<{ status: number, body: HealthBody }> {
  const response = await fetch(url)
  return { status: response.status, body: await response.json() as HealthBody }
}

/** Polls `check` every 50 ms until it returns something other than undefined; rejects after `timeoutMs`. */
export async function eventually<T> (what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

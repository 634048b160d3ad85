import { request } from 'node:http'
import { run } from '../../src/cli/run.js'
import { serveOptions, type ServeFlags } from '../../src/serve/options.js'
import { startCollector, type Collector } from '../../src/serve/server.js'

/** A `whsec_` secret the suites sign with (and one the collector does not know). */
export const signingSecret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`
export const otherSecret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`

/** Every kind of auth configured: two bearer tokens (rotation), basic admin:secret, a signing secret. */
export const allAuth: ServeFlags = { token: ['t-old', 't-new'], basic: 'admin:secret', 'signing-secret': [signingSecret] }

/** A collector on 127.0.0.1 at a free port over the given store, ready. */
export async function readyCollector (store: ServeFlags, flags: ServeFlags = allAuth): Promise<Collector> {
  const collector = await startCollector(serveOptions({ port: '0', ...store, ...flags }, {}))
  await collector.ready
  return collector
}

/** The JSON bodies the collector answers, as one loose shape for tests. */
export interface AnswerBody {
  events: Array<Record<string, unknown>>
  next: string | null
  error: { code: string, message: string }
  accepted: number
  duplicates: number
  event_ids: string[]
  status: string
  reason: string
  /** GET /chain/verify's answer. */
  ok: boolean
  rows: number
  head: { seq: string, hash: string } | null
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** Parsed when the answer is JSON. */
  body: AnswerBody
  text: string
}

/** One request with node:http; the body parsed when it is JSON. */
export function call (base: string, method: string, path: string, options: { headers?: Record<string, string>, body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A connection per request: a reused keep-alive socket can meet the server's keep-alive timeout (a reset).
    const req = request(new URL(path, base), { method, headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const body = String(res.headers['content-type']).startsWith('application/json') ? JSON.parse(text) as AnswerBody : {} as AnswerBody
        resolve({ status: res.statusCode!, headers: res.headers, body, text })
      })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

export const basic = { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` }
export const bearer = (token = 't-new'): Record<string, string> => ({ authorization: `Bearer ${token}` })
export const json = { 'content-type': 'application/json' }

/** The daslog command line in this process: its exit code and the lines it wrote to stdout and stderr. */
export async function daslog (...args: string[]): Promise<{ code: number, out: string[], err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await run(args, (line) => { out.push(line) }, (line) => { err.push(line) })
  return { code, out, err }
}

import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { ConfigError, DaslogError } from '../errors.js'
import type { QueryFilter, QueryResult } from '../store/query.js'
import type { VerifyOptions, VerifyResult } from '../store/verify.js'

/** What `daslog query` needs of a store: `query` and `close`, answered by a database or by a collector over HTTP. */
export interface QuerySource {
  query: (filter: QueryFilter) => Promise<QueryResult>
  close: () => Promise<void>
}

/** The parseArgs options of a command that can ask a collector (`serverTarget` reads them). */
export const serverArgOptions = {
  server: { type: 'string' },
  token: { type: 'string' }
} as const

/** A collector to ask: its URL and the bearer token (`--token`, else DASLOG_TOKEN). */
export interface ServerTarget {
  readonly url: string
  readonly token: string | undefined
}

/**
 * `--server` and `--token` of a command that can ask a collector instead of a
 * database: the target, or undefined without --server. A ConfigError names
 * a store option given with --server, and --token given without it.
 */
export function serverTarget (values: { server?: string | undefined, token?: string | undefined, db?: string | undefined, data?: string | undefined, table?: string | undefined }, env: NodeJS.ProcessEnv = process.env): ServerTarget | undefined {
  if (values.server === undefined) {
    if (values.token !== undefined) throw new ConfigError('--token', 'goes with --server <url>')
    return undefined
  }
  for (const option of ['db', 'data', 'table'] as const) {
    if (values[option] !== undefined) throw new ConfigError(`--${option}`, `--server asks a collector over HTTP, which reads its own store; leave out --${option} (or --server)`)
  }
  if (!/^https?:\/\//.test(values.server)) throw new ConfigError('--server', `expected the collector's http:// or https:// URL, got ${JSON.stringify(values.server)}`)
  const token = values.token ?? env.DASLOG_TOKEN
  return { url: values.server, token: token === '' ? undefined : token }
}

/** The filter as GET /events parameters (the names `daslog serve` reads). */
export function filterParams (filter: QueryFilter): URLSearchParams {
  const params = new URLSearchParams()
  const events = filter.event === undefined ? [] : typeof filter.event === 'string' ? [filter.event] : filter.event
  for (const event of events) params.append('event', event)
  if (filter.correlationId !== undefined) params.set('correlation_id', filter.correlationId)
  if (filter.level !== undefined) params.set('level', filter.level)
  if (filter.from !== undefined) params.set('from', filter.from instanceof Date ? filter.from.toISOString() : filter.from)
  if (filter.to !== undefined) params.set('to', filter.to instanceof Date ? filter.to.toISOString() : filter.to)
  if (filter.limit !== undefined) params.set('limit', String(filter.limit))
  if (filter.after !== undefined) params.set('after', filter.after)
  for (const [field, value] of Object.entries(filter.where ?? {})) params.set(field, String(value))
  return params
}

/** A collector (`daslog serve`) at `url`, asked with a bearer token. */
export function serverSource (url: string, token: string | undefined): QuerySource {
  const endpoint = new URL('events', url.endsWith('/') ? url : `${url}/`)
  const headers: Record<string, string> = { accept: 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }
  return {
    async query (filter) {
      endpoint.search = filterParams(filter).toString()
      let response: Response
      try {
        response = await fetch(endpoint, { headers })
      } catch (error) {
        throw new DaslogError('DASLOG_STORE', `the collector at ${url} is unreachable: ${String((error as Error).cause ?? error)}`)
      }
      const body = await response.json().catch(() => undefined) as { error?: { message?: string } } | QueryResult | undefined
      if (!response.ok) {
        const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? response.statusText
        throw new DaslogError('DASLOG_STORE', `the collector answered ${response.status}: ${message}`)
      }
      return body as QueryResult
    },
    close: async () => {}
  }
}

/** What a collector's `GET /chain/verify` answers: the store's verify result, and the chain and table it walked. */
export type ServerVerifyResult = VerifyResult & { readonly chain_key: string, readonly table: string }

/**
 * Asks a collector to verify its chain (`GET /chain/verify`). Over node:http,
 * not fetch: a long chain takes minutes before the answer's headers, past
 * fetch's five-minute headers timeout.
 */
export async function serverVerify (target: ServerTarget, options: Pick<VerifyOptions, 'chainKey' | 'from'> & { expect?: string }): Promise<ServerVerifyResult> {
  const endpoint = new URL('chain/verify', target.url.endsWith('/') ? target.url : `${target.url}/`)
  if (options.chainKey !== undefined) endpoint.searchParams.set('chain_key', options.chainKey)
  if (options.from !== undefined) endpoint.searchParams.set('from', String(options.from))
  if (options.expect !== undefined) endpoint.searchParams.set('expect', options.expect)
  const headers: Record<string, string> = { accept: 'application/json', ...(target.token === undefined ? {} : { authorization: `Bearer ${target.token}` }) }
  let status: number
  let text: string
  try {
    ({ status, text } = await new Promise<{ status: number, text: string }>((resolve, reject) => {
      const req = (endpoint.protocol === 'https:' ? httpsRequest : httpRequest)(endpoint, { headers }, (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }) })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    }))
  } catch (error) {
    throw new DaslogError('DASLOG_STORE', `the collector at ${target.url} is unreachable: ${String(error)}`)
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (status !== 200) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? (text.trim().slice(0, 200) || 'no message')
    throw new DaslogError('DASLOG_STORE', `the collector answered ${status}: ${message}`)
  }
  const answer = body as Partial<ServerVerifyResult> | undefined
  if (typeof answer?.ok !== 'boolean' || typeof answer.rows !== 'number' || typeof answer.chain_key !== 'string' || typeof answer.table !== 'string') {
    throw new DaslogError('DASLOG_STORE', `the collector at ${target.url} answered /chain/verify with something else than a verify result (is it daslog serve?)`)
  }
  return answer as ServerVerifyResult
}

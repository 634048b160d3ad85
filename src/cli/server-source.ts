import { DaslogError } from '../errors.js'
import type { QueryFilter, QueryResult } from '../store/query.js'

/** What `daslog query` needs of a store: `query` and `close`, answered by a database or by a collector over HTTP. */
export interface QuerySource {
  query: (filter: QueryFilter) => Promise<QueryResult>
  close: () => Promise<void>
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

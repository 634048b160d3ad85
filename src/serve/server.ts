import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { InsertResult } from '../store/store.js'
import type { StoredEvent } from '../store/rows.js'
import { authenticator } from './auth.js'
import { serveMetrics, type ServeMetrics } from './metrics.js'
import type { ServeOptions } from './options.js'
import { requestHandler } from './routes.js'
import { openStoreState } from './store-state.js'
import { defaultTable } from '../store/schema.js'

/** Where an ingest source (the AMQP consumer) stores what it receives: resolves once the insert committed. */
export interface IngestSink {
  insert: (records: readonly StoredEvent[]) => Promise<InsertResult>
}

/** A running ingest source: `down()` says why it cannot take events now (the broker is away), or undefined. */
export interface RunningSource {
  close: () => Promise<void>
  down?: () => string | undefined
}

/** Another way in besides POST /events, started once the store is ready and stopped before it closes. */
export type IngestSource = (sink: IngestSink, options: ServeOptions) => Promise<RunningSource>

export interface Collector {
  /** `http://host:port` the server listens on. */
  readonly url: string
  readonly server: Server
  readonly metrics: ServeMetrics
  /** Resolves once the store is open and migrated (and the ingest sources started). */
  readonly ready: Promise<void>
  /** Stops accepting, lets requests in flight finish (closing what lingers after `graceMs`), stops the sources, closes the store. */
  close: (graceMs?: number) => Promise<void>
}

/**
 * Starts the collector: listens at once (answering /healthz 503 while the
 * store opens), then opens and migrates the store in the background.
 */
export async function startCollector (options: ServeOptions, extra: { sources?: readonly IngestSource[], storeRetryMs?: number } = {}): Promise<Collector> {
  const state = openStoreState(options, extra.storeRetryMs)
  const metrics = serveMetrics()
  const auth = authenticator(options)
  const schemes = [...(options.tokens.length > 0 ? ['Bearer'] : []), ...(options.basic !== undefined ? ['Basic realm="daslog"'] : [])]
  const sources: RunningSource[] = []
  const sourceDown = (): string | undefined => {
    for (const source of sources) {
      const reason = source.down?.()
      if (reason !== undefined) return reason
    }
    return undefined
  }
  const server = createServer(requestHandler({ state, auth, metrics, challenge: schemes.join(', '), sourceDown, chain: options.chain, table: options.table ?? defaultTable }))
  server.listen(options.port, options.host)
  try {
    await once(server, 'listening')
  } catch (error) {
    await state.close()
    throw error
  }
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host

  let closing = false
  const ready = state.ready.then(async (store) => {
    const sink: IngestSink = { insert: (records) => metrics.timed('insert', () => store.insert(records)).then((result) => { metrics.stored(result.inserted, result.duplicates); return result }) }
    for (const source of extra.sources ?? []) if (!closing) sources.push(await source(sink, options))
  })

  const close = async (graceMs = 10_000): Promise<void> => {
    closing = true
    const stopped = new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    server.closeIdleConnections()
    const timer = setTimeout(() => { server.closeAllConnections() }, graceMs)
    await stopped
    clearTimeout(timer)
    await Promise.all(sources.map((source) => source.close()))
    await state.close()
  }

  return { url: `http://${host}:${port}`, server, metrics, ready, close }
}

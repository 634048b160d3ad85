import { pgErrorText } from '../store/pg-error.js'
import { openStore, type Store } from '../store/store.js'
import type { ServeOptions } from './options.js'

/**
 * The store behind the server, opened in the background so the server can
 * listen (and answer /healthz 503) at once: a fresh embedded folder takes
 * seconds. An open that fails (the database is away) is tried again every
 * `retryMs` until it succeeds or the server closes.
 */
export interface StoreState {
  /** The open store, or undefined while it opens. */
  readonly store: () => Store | undefined
  /** Why there is no store yet: opening, or the last failure. */
  readonly reason: () => string
  /** Resolves once the store is open and migrated. */
  readonly ready: Promise<Store>
  close: () => Promise<void>
}

export function openStoreState (options: Pick<ServeOptions, 'db' | 'data' | 'table' | 'chain'>, retryMs = 2000): StoreState {
  let store: Store | undefined
  let reason = options.db === undefined ? `the embedded store in ${options.data} is opening` : 'the store is opening'
  let closed = false
  let timer: NodeJS.Timeout | undefined
  let markReady: (store: Store) => void = () => {}
  const ready = new Promise<Store>((resolve) => { markReady = resolve })
  const table = options.table === undefined ? {} : { table: options.table }
  // Chained: every insert (POST /events and the AMQP consumer alike) joins the chain.
  const chain = options.chain === undefined ? {} : { chain: true, chainKey: options.chain.key }

  const attempt = async (): Promise<void> => {
    let opened: Store | undefined
    try {
      opened = await openStore(options.db ?? { dir: options.data }, { ...table, ...chain, onError: () => {} })
      await opened.migrate()
    } catch (error) {
      await opened?.close().catch(() => {})
      reason = `the store is unreachable: ${pgErrorText(error)}`
      if (!closed) timer = setTimeout(() => { void attempt() }, retryMs)
      return
    }
    if (closed) {
      await opened.close()
      return
    }
    store = opened
    markReady(opened)
  }
  const opening = attempt()

  return {
    store: () => store,
    reason: () => reason,
    ready,
    close: async () => {
      closed = true
      clearTimeout(timer)
      await opening
      await store?.close()
      store = undefined
    }
  }
}

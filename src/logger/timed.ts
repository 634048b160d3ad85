import { performance } from 'node:perf_hooks'
import type { Catalog } from '../catalog/types.js'

interface TimedEvents {
  readonly started: string
  readonly completed: string
  readonly failed: string
}

interface TimedLogger {
  info (event: string, fields?: unknown): void
  error (event: string, fields?: unknown): void
}

const namesByCatalog = new WeakMap<Catalog, Map<string, TimedEvents>>()

/** The three event names of an operation; the closing one is `_completed` or `_success`, whichever the catalog declares. */
function timedEvents (catalog: Catalog, operation: string): TimedEvents {
  let cache = namesByCatalog.get(catalog)
  if (cache === undefined) namesByCatalog.set(catalog, cache = new Map())
  let names = cache.get(operation)
  if (names === undefined) {
    const completed = catalog.events[`${operation}_completed`] === undefined && catalog.events[`${operation}_success`] !== undefined
      ? `${operation}_success`
      : `${operation}_completed`
    names = { started: `${operation}_started`, completed, failed: `${operation}_failed` }
    cache.set(operation, names)
  }
  return names
}

function elapsedMs (start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000
}

function isPromiseLike (value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
}

/** What `fn` receives: adds fields to the event that closes the operation (`_completed`/`_success`, or `_failed`). */
export type AddTimedFields = (fields: Readonly<Record<string, unknown>>) => void

/**
 * Logs `_started`, runs `fn`, then `_completed`/`_success` or `_failed` (rethrowing), each with `duration_ms`.
 * `fn` gets a function that adds fields to that closing event (what the operation returned: `rows_returned`).
 */
export function runTimed<T> (
  logger: TimedLogger,
  catalog: Catalog,
  operation: string,
  fields: Readonly<Record<string, unknown>> | undefined,
  fn: (add: AddTimedFields) => T
): T {
  const names = timedEvents(catalog, operation)
  logger.info(names.started, fields)
  let added: Record<string, unknown> | undefined
  let closed = false
  const add: AddTimedFields = (more) => {
    if (!closed && typeof more === 'object' && more !== null) added = Object.assign(added ?? {}, more)
  }
  const start = performance.now()
  const closing = (err?: unknown): Record<string, unknown> => {
    closed = true
    const last: Record<string, unknown> = { ...fields, ...added, duration_ms: elapsedMs(start) }
    if (err !== undefined) last.err = err
    return last
  }
  const failed = (err: unknown): void => {
    logger.error(names.failed, closing(err))
  }
  let result: T
  try {
    result = fn(add)
  } catch (err) {
    failed(err)
    throw err
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      (value) => {
        logger.info(names.completed, closing())
        return value
      },
      (err: unknown) => {
        failed(err)
        throw err
      }
    ) as T
  }
  logger.info(names.completed, closing())
  return result
}

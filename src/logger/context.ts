import { AsyncLocalStorage } from 'node:async_hooks'

type ContextFields = Readonly<Record<string, unknown>>

const storage = new AsyncLocalStorage<ContextFields>()

/**
 * `active` turns true on the first `withContext` call, so a process that never
 * uses implicit context never pays for an AsyncLocalStorage lookup per record.
 */
export const contextState = { active: false }

/** Runs `fn` with `fields` added to every record any daslog logger writes inside it and its async continuations. */
export function withContext<T> (fields: Readonly<Record<string, unknown>>, fn: () => T): T {
  contextState.active = true
  const outer = storage.getStore()
  return storage.run(outer === undefined ? { ...fields } : { ...outer, ...fields }, fn)
}

/** The fields of the innermost `withContext`, if any. */
export function currentContext (): ContextFields | undefined {
  return contextState.active ? storage.getStore() : undefined
}

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
  // Frozen: currentContext() hands this very object out, and every record of the unit of work reads it.
  return storage.run(Object.freeze(outer === undefined ? { ...fields } : { ...outer, ...fields }), fn)
}

/**
 * The fields of the current unit of work: those of the innermost
 * `withContext` merged over the outer ones, as every record logged here
 * carries them; undefined outside any `withContext`. The object is frozen (a
 * read-only view, the same one for the whole unit of work, not a copy):
 * to change the context, call `withContext` again.
 */
export function currentContext (): ContextFields | undefined {
  return contextState.active ? storage.getStore() : undefined
}

/**
 * Event patterns: globs over event names, the same everywhere (processors,
 * transports). `*` matches any run of characters, so `auth_*` and
 * `*_failed` work; a pattern without `*` is an exact name.
 */

/** Tells whether an event name matches. Compiled once, at setup. */
export type EventMatcher = (event: string) => boolean

const patternShape = /^[A-Za-z0-9_.:*-]+$/

/** Why a pattern is unusable, or undefined when it is fine. */
export function patternProblem (pattern: unknown): string | undefined {
  if (typeof pattern !== 'string' || pattern === '') return `expected an event name or glob such as "auth_*", got ${pattern === '' ? 'an empty string' : typeof pattern}`
  if (!patternShape.test(pattern)) return `"${pattern}" is not an event glob (letters, digits, "_" and "*" only)`
  return undefined
}

/** One matcher for a list of patterns: true when any matches. */
export function compileEventPatterns (patterns: readonly string[]): EventMatcher {
  const exact = new Set<string>()
  const globs: RegExp[] = []
  for (const pattern of patterns) {
    if (pattern === '*') return () => true
    if (pattern.includes('*')) globs.push(globToRegExp(pattern))
    else exact.add(pattern)
  }
  if (globs.length === 0) return (event) => exact.has(event)
  const anyGlob = globs.length === 1 ? globs[0]! : new RegExp(globs.map((g) => g.source).join('|'))
  return (event) => exact.has(event) || anyGlob.test(event)
}

/** True when `pattern` matches `event`; for one-off checks (setup, tests), not per record. */
export function matchesEventPattern (pattern: string, event: string): boolean {
  return compileEventPatterns([pattern])(event)
}

function globToRegExp (pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.\\+?^${}()|[\]-]/g, '\\$&')).join('.*')
  return new RegExp(`^(?:${body})$`)
}

/**
 * A per-event-name cache of decisions made once (pattern matching), bounded
 * so arbitrary names cannot grow it: past `limit` entries, answers are
 * computed and not kept.
 */
export function cachedByEvent<T> (compute: (event: string) => T, limit = 4096): (event: string) => T {
  const cache = new Map<string, T>()
  return (event) => {
    let value = cache.get(event)
    if (value === undefined) {
      value = compute(event)
      if (cache.size < limit) cache.set(event, value)
    }
    return value
  }
}

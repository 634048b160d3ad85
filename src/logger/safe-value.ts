/**
 * The slow path for values pino cannot serialize: a copy made only of JSON
 * values, with every bad part replaced by a marker. It runs only after a
 * write has thrown (or JSON.stringify has), so it favours clarity over speed.
 */

const maxDepth = 32

/** Markers written in place of what could not be serialized. */
export const markers = {
  circular: '[Circular]',
  depth: '[MaxDepth]',
  throws: (message: string) => `[Unserializable: ${message}]`
} as const

function describeError (err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  } catch {
    return 'unknown error'
  }
}

/** A JSON-safe copy of `value`: BigInt as its decimal string, circular and throwing parts as markers. */
export function toSafeValue (value: unknown, seen: WeakSet<object> = new WeakSet(), depth = 0): unknown {
  switch (typeof value) {
    case 'bigint': return value.toString()
    case 'number': return Number.isFinite(value) ? value : null
    case 'string': case 'boolean': return value
    case 'undefined': case 'function': case 'symbol': return undefined
  }
  if (value === null) return null
  const object = value as object
  if (seen.has(object)) return markers.circular
  if (depth >= maxDepth) return markers.depth
  seen.add(object)
  try {
    if (object instanceof Error) return safeError(object, seen, depth)
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      try {
        return toSafeValue((object as { toJSON: () => unknown }).toJSON(), seen, depth + 1)
      } catch (err) {
        return markers.throws(describeError(err))
      }
    }
    if (Array.isArray(object)) return object.map((item) => toSafeValue(item, seen, depth + 1) ?? null)
    if (object instanceof Map) return safeObject(object.keys(), (key) => object.get(key), seen, depth)
    if (object instanceof Set) return Array.from(object, (item) => toSafeValue(item, seen, depth + 1) ?? null)
    return safeObject(Object.keys(object), (key) => (object as Record<string, unknown>)[key as string], seen, depth)
  } catch (err) {
    return markers.throws(describeError(err))
  } finally {
    seen.delete(object)
  }
}

function safeObject (keys: Iterable<unknown>, read: (key: unknown) => unknown, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const key of keys) {
    let item: unknown
    try {
      item = toSafeValue(read(key), seen, depth + 1)
    } catch (err) {
      item = markers.throws(describeError(err))
    }
    if (item !== undefined) copy[String(key)] = item
  }
  return copy
}

function safeError (err: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const key of ['name', 'message', 'stack', 'code']) {
    try {
      const item = (err as unknown as Record<string, unknown>)[key]
      if (item !== undefined) copy[key] = toSafeValue(item, seen, depth + 1)
    } catch (e) {
      copy[key] = markers.throws(describeError(e))
    }
  }
  try {
    if (err.cause !== undefined) copy.cause = toSafeValue(err.cause, seen, depth + 1)
  } catch (e) {
    copy.cause = markers.throws(describeError(e))
  }
  return copy
}

/** The stringifier pino falls back to when JSON.stringify throws: BigInt stays exact, as a string. */
export function safeStringify (value: unknown): string {
  return JSON.stringify(toSafeValue(value)) ?? 'null'
}

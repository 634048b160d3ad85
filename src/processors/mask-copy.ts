import { markers } from '../logger/safe-value.js'

/**
 * Copy-on-write helpers for masking: a container is copied only when one of
 * its values changes, so the caller's objects are never touched and an
 * untouched record costs no copy at all.
 */

/** Marks a value to delete (`remove` mode). */
export const REMOVE: unique symbol = Symbol('daslog.mask.remove')

export const unreadable = markers.throws('a getter threw')

/** A shallow copy keeping what serialization sees: array items, an Error's prototype and own properties, an object's own fields. */
export function shallowCopy (value: object): Record<PropertyKey, unknown> {
  if (Array.isArray(value)) return value.slice() as unknown as Record<PropertyKey, unknown>
  if (value instanceof Error) return copyError(value)
  try {
    return { ...value } as Record<PropertyKey, unknown>
  } catch {
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(value)) setField(copy, key, readField(value, key))
    return copy
  }
}

/** Reads one field; a throwing getter reads as a marker instead of throwing. */
export function readField (container: object, key: string): unknown {
  try {
    return (container as Record<string, unknown>)[key]
  } catch {
    return unreadable
  }
}

/**
 * Sets (or with REMOVE deletes) a field of a copy; `__proto__` stays a plain
 * field, an Error keeps each property's enumerability. An array item marked
 * REMOVE stays marked until `withoutRemoved`, so indexes hold meanwhile.
 */
export function setField (copy: Record<PropertyKey, unknown>, key: string, value: unknown): void {
  if (value === REMOVE && !Array.isArray(copy)) {
    delete copy[key]
    return
  }
  if (key === '__proto__' || copy instanceof Error) {
    const enumerable = Object.getOwnPropertyDescriptor(copy, key)?.enumerable ?? true
    Object.defineProperty(copy, key, { value, writable: true, configurable: true, enumerable })
  } else {
    copy[key] = value
  }
}

/** Drops the items marked REMOVE from an array copy. */
export function withoutRemoved (copy: unknown[]): unknown[] {
  return copy.includes(REMOVE) ? copy.filter((item) => item !== REMOVE) : copy
}

function copyError (error: Error): Record<PropertyKey, unknown> {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Record<PropertyKey, unknown>
  for (const key of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key)!
    const value = 'value' in descriptor ? descriptor.value : readField(error, key)
    Object.defineProperty(copy, key, { value, writable: true, configurable: true, enumerable: descriptor.enumerable ?? false })
  }
  return copy
}

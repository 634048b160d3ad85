import { readField, setField, shallowCopy, unreadable, withoutRemoved } from './mask-copy.js'
import { markers } from '../logger/safe-value.js'
import type { StringMasker } from './mask-patterns.js'

/** Deeper than this, a value is written as a marker: nothing below it is serialized unmasked. */
export const maxMaskDepth = 64

/** Masks keys (at any depth) and value patterns (in every string): returns the object itself when nothing matched, else a copy (copy-on-write all the way down). */
export type DeepMasker = (fields: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>

export interface DeepMaskerOptions {
  /** Key names whose values are replaced wherever they are, compared lower-cased. */
  readonly keys: ReadonlySet<string> | undefined
  /** Rewrites matches inside a string. */
  readonly maskString: StringMasker | undefined
  /** What a masked key's value becomes (or REMOVE). */
  readonly replace: (value: unknown) => unknown
}

/**
 * Walks everything serialization will see: nested objects and arrays, an
 * Error's message, stack, cause and own fields, and what `toJSON` returns.
 * Cycles become `[Circular]` and depth past `maxMaskDepth` `[MaxDepth]`,
 * so nothing escapes the walk unmasked.
 */
export function compileDeepMasker ({ keys, maskString, replace }: DeepMaskerOptions): DeepMasker | undefined {
  if (keys === undefined && maskString === undefined) return undefined
  const ancestors: object[] = []
  const masksKeys = keys !== undefined
  const isMaskedKey = (key: string): boolean => keys!.has(key) || keys!.has(key.toLowerCase())

  function walkValue (value: unknown, depth: number): unknown {
    if (typeof value === 'string') return maskString === undefined ? value : maskString(value) ?? value
    if (typeof value !== 'object' || value === null) return value
    if (depth >= maxMaskDepth) return markers.depth
    if (value instanceof String) return walkValue(value.valueOf(), depth)
    if (isOpaque(value)) return value
    if (ancestors.includes(value)) return markers.circular
    if (!Array.isArray(value) && !(value instanceof Error) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      let json: unknown
      try {
        json = (value as { toJSON: () => unknown }).toJSON()
      } catch {
        return markers.throws('toJSON threw')
      }
      return json === value ? value : walkValue(json, depth)
    }
    ancestors.push(value)
    try {
      return walkFields(value, depth)
    } finally {
      ancestors.pop()
    }
  }

  function walkFields (container: object, depth: number): object {
    if (Array.isArray(container)) return walkItems(container, depth)
    let copy: Record<PropertyKey, unknown> | undefined
    if (container instanceof Error) {
      for (const key of Object.getOwnPropertyNames(container)) copy = walkField(container, copy, key, readField(container, key), depth)
      return copy ?? container
    }
    // for-in, with the load in the loop itself: no array per object, and the engine reads through its enum cache.
    for (const key in container) {
      let value: unknown
      try {
        value = (container as Record<string, unknown>)[key]
      } catch {
        value = unreadable
      }
      copy = walkField(container, copy, key, value, depth)
    }
    return copy ?? container
  }

  /** Masks one field's value into the container's copy, made at the first change; returns the copy, or undefined while nothing changed. */
  function walkField (container: object, copy: Record<PropertyKey, unknown> | undefined, key: string, value: unknown, depth: number): Record<PropertyKey, unknown> | undefined {
    let out: unknown
    if (masksKeys && value !== undefined && isMaskedKey(key)) {
      out = replace(value)
      if (out === value) return copy
    } else if (typeof value === 'string') {
      // A string masker says "unchanged" with undefined: no comparison of two equally long strings.
      if (maskString === undefined || (out = maskString(value)) === undefined) return copy
    } else {
      out = walkValue(value, depth + 1)
      if (out === value && value !== unreadable) return copy
    }
    copy ??= shallowCopy(container)
    setField(copy, key, out)
    return copy
  }

  function walkItems (items: readonly unknown[], depth: number): object {
    let copy: unknown[] | undefined
    for (let i = 0; i < items.length; i++) {
      const value = items[i]
      const out = walkValue(value, depth + 1)
      if (out === value) continue
      copy ??= items.slice()
      copy[i] = out
    }
    return copy === undefined ? items : withoutRemoved(copy)
  }

  return (fields) => {
    // A toJSON that logs re-enters this walk: keep the outer walk's ancestors.
    const outer = ancestors.length
    ancestors.push(fields)
    try {
      return walkFields(fields, 0) as Readonly<Record<string, unknown>>
    } finally {
      // Popping, not `ancestors.length = outer`: the length setter is a slow call.
      while (ancestors.length > outer) ancestors.pop()
    }
  }
}

/** Values serialization writes without looking inside for strings of ours: dates, binary data, collections. */
function isOpaque (value: object): boolean {
  return value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer ||
    value instanceof Map || value instanceof Set || value instanceof RegExp || value instanceof WeakMap || value instanceof WeakSet
}

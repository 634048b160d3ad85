/**
 * JSON values as OTLP `AnyValue`s, in the object form protobufjs encodes and
 * OTLP/JSON writes (after `intValue` becomes a string). One of its fields is
 * set, or none for null.
 */
export type AnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: number }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: readonly AnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly KeyValue[] } }
  | Readonly<Record<string, never>>

export interface KeyValue {
  readonly key: string
  readonly value: AnyValue
}

/** Deeper than this, a value is sent as its JSON text: a collector may refuse deeper messages, and encoding recurses. */
const maxDepth = 32
const empty: AnyValue = Object.freeze({})

/** ES2024's string methods (Node 20 has them; the ES2023 lib does not declare them). */
interface WellFormedText {
  isWellFormed (): boolean
  toWellFormed (): string
}

/** A string that is valid UTF-8 once encoded: a lone surrogate becomes U+FFFD (a collector refuses invalid UTF-8 in protobuf). */
export function wellFormed (text: string): string {
  const checked = text as unknown as WellFormedText
  return checked.isWellFormed() ? text : checked.toWellFormed()
}

export function stringValue (text: string): AnyValue {
  return { stringValue: wellFormed(text) }
}

/**
 * A parsed JSON value: strings, booleans, integers (`intValue`, int64: the
 * safe integers) and other numbers (`doubleValue`), arrays (`arrayValue`),
 * objects (`kvlistValue`, nested as deep as they go, up to a limit), null
 * (no value).
 */
export function anyValue (value: unknown, depth = 0): AnyValue {
  switch (typeof value) {
    case 'string': return stringValue(value)
    case 'boolean': return { boolValue: value }
    case 'number': return Number.isSafeInteger(value) ? { intValue: value } : { doubleValue: value }
    case 'bigint': return { stringValue: value.toString() }
    case 'object':
      if (value === null) return empty
      if (depth >= maxDepth) return stringValue(JSON.stringify(value))
      if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => anyValue(item, depth + 1)) } }
      return { kvlistValue: { values: keyValues(value as Readonly<Record<string, unknown>>, depth + 1) } }
    default: return empty
  }
}

/** An object's fields as OTLP attributes (KeyValue list), in their order. */
export function keyValues (fields: Readonly<Record<string, unknown>>, depth = 0): KeyValue[] {
  const list: KeyValue[] = []
  for (const key in fields) list.push({ key: wellFormed(key), value: anyValue(fields[key], depth) })
  return list
}

/**
 * What PostgreSQL will print for a row's values, predicted in JavaScript, so
 * a chained insert can hash its rows before they reach the database (rather
 * than reading them back through PostgreSQL's casts first). A prediction is
 * never trusted: the insert stores a row only where PostgreSQL's own text of
 * the stored time and data equals it (chain-insert.ts), and falls back to
 * reading the text from PostgreSQL when one differs. So a prediction may be
 * missing (`undefined`: not sure, the slow way is taken), never wrong in
 * effect.
 */

/** The text of a `data` value as jsonb prints it (`stored`), and the canonical JSON of that text (`canonical`, as `canonicalJson` makes it). */
export interface StoredForms {
  readonly stored: string
  readonly canonical: string
}

/** Deeper than this, the prediction is not attempted. */
const maxDepth = 64

/**
 * A JSON value as jsonb prints it: object keys shortest first, then by
 * bytes, `": "` and `", "` between entries; and the same value as canonical
 * JSON (keys by UTF-16 code units, no whitespace). Undefined for what is not
 * plain JSON data or could print otherwise: a number JSON writes with an
 * exponent (jsonb prints its digits), a text holding U+0000 (stored as
 * U+FFFD), a key outside printable ASCII (jsonb orders by
 * UTF-8 bytes), anything JSON.stringify would skip, convert or refuse.
 */
export function storedForms (value: unknown): StoredForms | undefined {
  const forms = formsOf(value, 0)
  return typeof forms === 'string' ? { stored: forms, canonical: forms } : forms
}

/** A value's two forms, or one text when they are the same (a scalar: the common case, without an object for it). */
type Forms = string | StoredForms

function formsOf (value: unknown, depth: number): Forms | undefined {
  switch (typeof value) {
    case 'string':
      return value.includes('\0') ? undefined : JSON.stringify(value)
    case 'number': {
      if (!Number.isFinite(value)) return undefined
      const text = JSON.stringify(value)
      return text.includes('e') ? undefined : text
    }
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return 'null'
      if (depth >= maxDepth) return undefined
      return Array.isArray(value) ? arrayForms(value, depth) : objectForms(value, depth)
    default:
      return undefined
  }
}

const storedOf = (forms: Forms): string => typeof forms === 'string' ? forms : forms.stored
const canonicalOf = (forms: Forms): string => typeof forms === 'string' ? forms : forms.canonical

function arrayForms (items: readonly unknown[], depth: number): Forms | undefined {
  let stored = '['
  let canonical = '['
  for (let i = 0; i < items.length; i++) {
    const item = formsOf(items[i], depth + 1)
    if (item === undefined) return undefined
    stored += i === 0 ? storedOf(item) : `, ${storedOf(item)}`
    canonical += i === 0 ? canonicalOf(item) : `,${canonicalOf(item)}`
  }
  stored += ']'
  canonical += ']'
  return stored === canonical ? stored : { stored, canonical }
}

/** The order of a key list's entries in each form, by the list (joined with `"`, which no accepted key holds); null for a list the prediction refuses. */
interface KeyOrders {
  readonly stored: readonly number[]
  readonly canonical: readonly number[]
}
const keyOrdersByList = new Map<string, KeyOrders | null>()
const keyOrdersCap = 512
/** The last list asked about and its orders: the rows of a batch mostly share their keys. */
let lastKeys: readonly string[] = []
let lastOrders: KeyOrders | null = null

/** A key jsonb and canonical JSON both write as `"key"` and order the same way as JavaScript compares it: printable ASCII but `"` and `\\`. */
const plainKey = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/

function keyOrdersOf (keys: readonly string[]): KeyOrders | null {
  if (keys.length === lastKeys.length && keys.every((key, i) => key === lastKeys[i])) return lastOrders
  const list = keys.join('"')
  let orders = keyOrdersByList.get(list)
  if (orders === undefined) {
    orders = keys.every((key) => plainKey.test(key))
      ? {
          stored: keys.map((_, i) => i).sort((a, b) => keys[a]!.length - keys[b]!.length || byCodeUnits(keys[a]!, keys[b]!)),
          canonical: keys.map((_, i) => i).sort((a, b) => byCodeUnits(keys[a]!, keys[b]!))
        }
      : null
    if (keyOrdersByList.size >= keyOrdersCap) keyOrdersByList.clear()
    keyOrdersByList.set(list, orders)
  }
  lastKeys = keys
  lastOrders = orders
  return orders
}

const byCodeUnits = (a: string, b: string): number => a < b ? -1 : a > b ? 1 : 0

function objectForms (object: object, depth: number): Forms | undefined {
  const prototype = Object.getPrototypeOf(object) as unknown
  if (prototype !== Object.prototype && prototype !== null) return undefined
  const keys = Object.keys(object)
  if (keys.length === 0) return '{}'
  const orders = keyOrdersOf(keys)
  if (orders === null) return undefined
  const values: Forms[] = []
  for (const key of keys) {
    const forms = formsOf((object as Record<string, unknown>)[key], depth + 1)
    if (forms === undefined) return undefined
    values.push(forms)
  }
  let stored = '{'
  let canonical = '{'
  for (let i = 0; i < keys.length; i++) {
    const s = orders.stored[i]!
    const c = orders.canonical[i]!
    stored += `${i === 0 ? '"' : ', "'}${keys[s]!}": ${storedOf(values[s]!)}`
    canonical += `${i === 0 ? '"' : ',"'}${keys[c]!}":${canonicalOf(values[c]!)}`
  }
  return { stored: `${stored}}`, canonical: `${canonical}}` }
}

const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** A time as the chain hashes it (microseconds, UTC: `canonicalColumnsSql`), from the ISO text the insert sends; undefined unless it has exactly milliseconds in UTC (what Date.toISOString writes). */
export function storedTime (iso: string): string | undefined {
  return isoMillis.test(iso) ? `${iso.slice(0, 23)}000Z` : undefined
}

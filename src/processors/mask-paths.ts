import { ConfigError } from '../errors.js'
import { toSafeValue } from '../logger/safe-value.js'
import { REMOVE, setField, shallowCopy, withoutRemoved } from './mask-copy.js'

/** A trie of the masked paths: a node per path segment, `*` matching any key or index. */
interface PathNode {
  /** A path ends here: the value at this node is replaced. */
  terminal: boolean
  readonly children: Map<string, PathNode>
  wildcard: PathNode | undefined
}

/** Replaces the value at every path: returns the object itself when no path is present, else a copy (nested containers copied on write). */
export type PathMasker = (fields: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>

const newNode = (): PathNode => ({ terminal: false, children: new Map(), wildcard: undefined })

/**
 * Compiles paths such as `password`, `user.email`, `users[*].email`,
 * `*.token` or `headers["x-api-key"]` into one masker. `replace` gives what a
 * matched value becomes (or REMOVE).
 */
export function compilePathMasker (paths: readonly string[], replace: (value: unknown) => unknown, option = 'masking.paths'): PathMasker | undefined {
  if (paths.length === 0) return undefined
  const root = newNode()
  paths.forEach((path, i) => {
    let node = root
    for (const segment of parsePath(path, `${option}[${i}]`)) {
      if (segment === '*') {
        node.wildcard ??= newNode()
        node = node.wildcard
      } else {
        let child = node.children.get(segment)
        if (child === undefined) node.children.set(segment, child = newNode())
        node = child
      }
    }
    node.terminal = true
  })

  return generateMasker(root, replace)
}

/**
 * Turns the trie into JavaScript source, once, the way fast-redact does:
 * every named key is a constant property access, so the engine's inline
 * caches stay monomorphic and a 2-path mask costs tens of nanoseconds.
 * Keys enter the source only through JSON.stringify. A function per inner
 * node (the root included) returns its container untouched, or a copy when
 * something in it changed.
 */
function generateMasker (root: PathNode, replace: (value: unknown) => unknown): PathMasker {
  const functions: string[] = []

  /** Stores `value` under `key` in the copy `c`, made first: REMOVE deletes a field (an array item stays marked for `finish`). */
  const store = (key: string, value: string): string => key === '"__proto__"' || key === 'k'
    ? `c ??= copy(o); set(c, ${key}, ${value});`
    : `c ??= copy(o); x = ${value}; if (x === REMOVE && !Array.isArray(c)) delete c[${key}]; else c[${key}] = x;`

  /** Statements that mask `node`'s children of the container `o` into its copy `c`. */
  const body = (node: PathNode): string => {
    const lines: string[] = []
    const handle = (child: PathNode, read: string, key: string): void => {
      lines.push(`v = ${read};`)
      if (child.terminal) {
        lines.push(`if (v !== undefined && typeof v !== 'function') { ${store(key, 'replace(v)')} }`)
      } else {
        lines.push(`if (typeof v === 'object' && v !== null) { m = ${innerFunction(child)}(v); if (m !== v) { ${store(key, 'm')} } }`)
      }
    }
    for (const [key, child] of node.children) handle(child, `o[${JSON.stringify(key)}]`, JSON.stringify(key))
    if (node.wildcard !== undefined) {
      const replacedByName = [...node.children].filter(([, child]) => child.terminal).map(([key]) => `k === ${JSON.stringify(key)}`)
      lines.push(`for (const k of keysOf(o)) { ${replacedByName.length === 0 ? '' : `if (${replacedByName.join(' || ')}) continue;`}`)
      // Read from the copy when there is one, so the named keys' changes above are kept.
      handle(node.wildcard, '(c ?? o)[k]', 'k')
      lines.push('}')
    }
    return lines.join('\n')
  }

  const innerFunction = (node: PathNode): string => {
    const index = functions.push('') - 1
    functions[index] = `function n${index} (o) {\nlet c, v, m, x;\n${body(node)}\nreturn c === undefined ? o : finish(c);\n}`
    return `n${index}`
  }

  const rootFunction = innerFunction(root)
  const source = `${functions.join('\n')}\nreturn ${rootFunction};`
  const build = new Function('replace', 'copy', 'finish', 'set', 'keysOf', 'REMOVE', source) as (...helpers: unknown[]) => PathMasker
  const maskPaths = build(replace, shallowCopy, finishCopy, setField, keysOf, REMOVE)
  return (fields) => {
    try {
      return maskPaths(fields)
    } catch {
      // A getter threw on the way: mask a JSON-safe copy (the getter's value becomes a marker) instead.
      return maskPaths(toSafeValue(fields) as Record<string, unknown>)
    }
  }
}

function finishCopy (copy: Record<PropertyKey, unknown>): unknown {
  return Array.isArray(copy) ? withoutRemoved(copy) : copy
}

function keysOf (container: object): string[] {
  return container instanceof Error ? Object.getOwnPropertyNames(container) : Object.keys(container)
}

/** Splits `a.b[*]["c.d"][0]` into `['a', 'b', '*', 'c.d', '0']`; a malformed path is a ConfigError naming it. */
export function parsePath (path: string, option: string): string[] {
  const fail = (problem: string): never => { throw new ConfigError(option, `${JSON.stringify(path)}: ${problem}`) }
  if (typeof path !== 'string' || path === '') fail('expected a path such as "user.email" or "users[*].token"')
  const segments: string[] = []
  let i = 0
  while (i < path.length) {
    if (path[i] === '[') {
      const close = bracketEnd(path, i)
      if (close === -1) fail(`unclosed "[" at ${i}`)
      const inner = path.slice(i + 1, close).trim()
      if (inner === '*' || /^\d+$/.test(inner)) segments.push(inner)
      else if (/^(["']).*\1$/.test(inner)) segments.push(inner.slice(1, -1).replace(/\\(.)/g, '$1'))
      else fail(`inside [] expected *, an index or a quoted key, got ${JSON.stringify(inner)}`)
      i = close + 1
    } else {
      let end = i
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++
      if (end === i) fail(`empty segment at ${i}`)
      segments.push(path.slice(i, end))
      i = end
    }
    if (path[i] === '.') {
      i++
      if (i === path.length) fail('ends with "."')
    } else if (i < path.length && path[i] !== '[') {
      fail(`unexpected ${JSON.stringify(path[i])} at ${i}`)
    }
  }
  return segments
}

/** The index of the `]` closing the `[` at `open`, skipping a quoted key; -1 when there is none. */
function bracketEnd (path: string, open: number): number {
  let quote: string | undefined
  for (let i = open + 1; i < path.length; i++) {
    const char = path[i]
    if (quote !== undefined) {
      if (char === '\\') i++
      else if (char === quote) quote = undefined
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === ']') {
      return i
    }
  }
  return -1
}

import type { Rule, Scope } from 'eslint'
import type * as ESTree from 'estree'

/** The level methods whose first argument is an event name; `timed` takes a `domain_action`. */
const eventMethods = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'event'])

export interface LoggerCallOptions {
  /** Objects whose calls are not logger calls, by the name they are called on (default `['console']`: `console.info(x)`). */
  readonly ignore?: readonly string[]
  /** Names of the generated constants object (default `['Events']`): `Events.X` is a catalog name. */
  readonly eventObjects?: readonly string[]
}

/** The options of both rules, so one object can serve both (`catalog` is known-event's; no-dynamic-event-name ignores it). */
export const ruleOptionsSchema = {
  type: 'object',
  properties: {
    ignore: { type: 'array', items: { type: 'string' } },
    eventObjects: { type: 'array', items: { type: 'string' } },
    catalog: { type: 'string' }
  },
  additionalProperties: false
} as const

/**
 * The event argument of a daslog logger call: `log.info(event, fields?)`,
 * any object's level method or `event`, not one of `ignore` (`console`), with
 * at most two arguments, the first not an object (pino's `info({...}, 'msg')`)
 * and the second not a string (pino's `info(obj, 'msg')`). With `timed`, the
 * operation argument of `log.timed(operation, fields, fn)`.
 */
export function loggerCallArgument (node: ESTree.CallExpression, ignore: readonly string[], withTimed = false): { argument: ESTree.Expression, method: string } | undefined {
  const callee = node.callee
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined
  const method = callee.property.name
  const timed = withTimed && method === 'timed'
  if (!eventMethods.has(method) && !timed) return undefined
  const object = objectName(callee.object)
  if (object !== undefined && ignore.includes(object)) return undefined
  const [first, second] = node.arguments
  if (first === undefined || first.type === 'SpreadElement' || first.type === 'ObjectExpression') return undefined
  if (!timed && (node.arguments.length > 2 || isStringy(second))) return undefined
  return { argument: first, method }
}

/**
 * What an event argument is: known before the program runs (generated
 * constants, and the strings written in the code), or built at run time
 * (and why it counts as such).
 */
export type EventValue =
  | { readonly kind: 'known', readonly strings: readonly string[] }
  | { readonly kind: 'dynamic', readonly why: string }

const constant: EventValue = { kind: 'known', strings: [] }

/**
 * Reads an event argument without running anything: string literals and
 * templates without expressions, `Events.X`, `cond ? a : b` of those, and a
 * `const` whose initializer is one of them (followed to it).
 */
export function eventValue (node: ESTree.Node, context: Rule.RuleContext, eventObjects: readonly string[], depth = 0): EventValue {
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'string' ? { kind: 'known', strings: [node.value] } : { kind: 'dynamic', why: 'is not a string' }
    case 'TemplateLiteral':
      return node.expressions.length === 0
        ? { kind: 'known', strings: [node.quasis[0]!.value.cooked ?? node.quasis[0]!.value.raw] }
        : { kind: 'dynamic', why: 'is built with a template literal' }
    case 'BinaryExpression':
      return { kind: 'dynamic', why: node.operator === '+' ? 'is built by concatenation' : 'is computed' }
    case 'MemberExpression':
      if (isEventsMember(node, eventObjects)) return constant
      return { kind: 'dynamic', why: node.computed ? 'is looked up at run time' : `is not a member of ${eventObjects.join(' or ')}` }
    case 'ConditionalExpression': {
      const branches = [eventValue(node.consequent, context, eventObjects, depth), eventValue(node.alternate, context, eventObjects, depth)]
      const strings: string[] = []
      for (const branch of branches) {
        if (branch.kind === 'dynamic') return branch
        strings.push(...branch.strings)
      }
      return { kind: 'known', strings }
    }
    case 'Identifier': {
      const init = depth < 8 ? constInitializer(node, context) : undefined
      if (init === undefined) return { kind: 'dynamic', why: `\`${node.name}\` is not known to hold a catalog event name (only a const initialized with Events.X or a string literal is)` }
      return eventValue(init, context, eventObjects, depth + 1)
    }
    default: {
      const inner = unwrapped(node)
      if (inner !== undefined) return eventValue(inner, context, eventObjects, depth)
      return { kind: 'dynamic', why: 'is computed at run time' }
    }
  }
}

/** `Events.AUTH_LOGIN_SUCCESS`, `Events['AUTH_LOGIN_SUCCESS']`, `events.Events.X`: a member of a generated constants object. */
function isEventsMember (node: ESTree.MemberExpression, eventObjects: readonly string[]): boolean {
  if (node.computed && !(node.property.type === 'Literal' && typeof node.property.value === 'string')) return false
  const object = node.object
  if (object.type === 'Identifier') return eventObjects.includes(object.name)
  return object.type === 'MemberExpression' && !object.computed && object.property.type === 'Identifier' && eventObjects.includes(object.property.name)
}

/** The initializer of the `const` an identifier names, when it is a plain `const name = init` (not destructured, never reassigned). */
function constInitializer (node: ESTree.Identifier, context: Rule.RuleContext): ESTree.Expression | undefined {
  let scope: Scope.Scope | null = context.sourceCode.getScope(node)
  while (scope !== null) {
    const variable = scope.set.get(node.name)
    if (variable !== undefined) {
      if (variable.defs.length !== 1) return undefined
      const def = variable.defs[0]!
      if (def.type !== 'Variable' || def.parent.kind !== 'const' || def.node.id.type !== 'Identifier') return undefined
      return def.node.init ?? undefined
    }
    scope = scope.upper
  }
  return undefined
}

/** The expression inside TypeScript's `x as const`, `x!`, `x satisfies T` and parentheses, if `node` is one of those. */
function unwrapped (node: ESTree.Node): ESTree.Node | undefined {
  const typed = node as unknown as { type: string, expression?: ESTree.Node }
  return ['TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'ChainExpression'].includes(typed.type) ? typed.expression : undefined
}

/** The name of the object a method is called on: `console` in `console.info`, `toast` in `this.toast.error`. */
function objectName (node: ESTree.Node): string | undefined {
  if (node.type === 'Identifier') return node.name
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name
  return undefined
}

function isStringy (node: ESTree.Node | undefined): boolean {
  return node !== undefined && ((node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateLiteral')
}

import { ConfigError } from '../errors.js'
import { describe, isObject, optionObject } from '../config/option-checks.js'
import { scanCards, scanEmails, threeDigits, type ReplaceMatch } from './mask-scanners.js'

/** Value patterns daslog knows by name. */
export const builtinPatternNames = ['email', 'card', 'jwt', 'bearer', 'phone', 'ipv4'] as const
export type BuiltinPatternName = (typeof builtinPatternNames)[number]

/** A pattern of your own: a RegExp (or its source, for JSON config files) and what a match becomes in `mask` mode. */
export interface CustomPattern {
  readonly regex: RegExp | string
  /** Flags when `regex` is a string; `g` is always added. */
  readonly flags?: string
  /** The masked form of a match. Default `[REDACTED]`. */
  readonly replacement?: string
}

export type MaskPattern = BuiltinPatternName | RegExp | CustomPattern

/**
 * One pattern, compiled. `might` is a cheap test on the original string
 * (an `eyJ`, a run of three digits); `apply` rewrites the matches. Every `might`
 * sees the caller's string, not an earlier pattern's rewrite, so a string
 * none of them can match is never copied or rescanned. The email scanner has
 * none: its own first search (an `@`) is that test, and no pattern before it
 * writes an `@`.
 */
interface PatternStep {
  readonly might?: (value: string) => boolean
  /** The string with its matches rewritten, or undefined when nothing matched. */
  readonly apply: (value: string, replace: ReplaceMatch | undefined) => string | undefined
}

/** A pattern written as a RegExp: global, bounded quantifiers only, so no input makes it backtrack without end. */
interface RegExpPattern {
  /** A substring every match contains, or a (non-global) RegExp every string with a match passes; default: the pattern itself. */
  readonly hint?: string | RegExp
  readonly regex: RegExp
  /** False for a match that only looks like the thing. */
  readonly accept?: (match: string) => boolean
  /** The masked form of a match (in `mask` mode). */
  readonly mask: (match: string) => string
}

/** Rewrites every match of the patterns in a string; returns undefined when nothing matched (so no caller compares two strings). */
export type StringMasker = (value: string) => string | undefined

const digitsOf = (match: string): string => match.replace(/\D/g, '')

function regexStep ({ hint, regex, accept, mask }: RegExpPattern): PatternStep {
  const test = typeof hint === 'string' ? undefined : new RegExp((hint ?? regex).source, (hint ?? regex).flags.replace('g', ''))
  return {
    might: typeof hint === 'string' ? (value) => value.includes(hint) : (value) => test!.test(value),
    apply: (value, replace) => {
      let changed = false
      const out = value.replace(regex, (match) => {
        if (accept !== undefined && !accept(match)) return match
        changed = true
        return replace === undefined ? mask(match) : replace(match, 0, match.length, mask(match))
      })
      return changed ? out : undefined
    }
  }
}

const builtins: Record<BuiltinPatternName, PatternStep> = {
  jwt: regexStep({
    hint: 'eyJ',
    regex: /\beyJ[\w-]{4,4096}\.[\w-]{4,8192}\.[\w-]{0,4096}/g,
    mask: () => '[REDACTED_JWT]'
  }),
  bearer: regexStep({
    hint: /bearer/i,
    regex: /\bbearer\s{1,8}[\w.~+/-]{1,4096}=*/gi,
    mask: (match) => `${match.slice(0, 6)} [REDACTED]`
  }),
  email: { apply: scanEmails },
  card: { might: (value) => threeDigits.test(value), apply: scanCards },
  ipv4: regexStep({
    hint: /\d\.\d/,
    regex: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)/g,
    mask: (match) => `${match.slice(0, match.lastIndexOf('.'))}.***`
  }),
  phone: regexStep({
    hint: threeDigits,
    regex: /(?<![\w+])(?:\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}|(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4})(?!\w)/g,
    accept: (match) => { const count = digitsOf(match).length; return count >= 8 && count <= 15 },
    mask: (match) => `***-***-${digitsOf(match).slice(-4)}`
  })
}

/** The order built-ins run in, whatever order they are listed: tokens before emails, cards before phones. */
const builtinOrder: readonly BuiltinPatternName[] = ['jwt', 'bearer', 'email', 'card', 'ipv4', 'phone']

/**
 * Compiles the patterns into one string masker; `replace` turns an accepted
 * match into its output in `hash` and `remove` modes, undefined (`mask` mode)
 * writes each pattern's own masked form.
 */
export function compileStringMasker (
  patterns: readonly unknown[],
  replace: ReplaceMatch | undefined,
  option = 'masking.patterns'
): StringMasker | undefined {
  const named = new Set<BuiltinPatternName>()
  const custom: PatternStep[] = []
  patterns.forEach((pattern, i) => {
    if (typeof pattern === 'string') {
      if (!(builtinPatternNames as readonly string[]).includes(pattern)) {
        throw new ConfigError(`${option}[${i}]`, `unknown pattern ${describe(pattern)} (known: ${builtinPatternNames.join(', ')}, or a RegExp)`)
      }
      named.add(pattern as BuiltinPatternName)
    } else {
      custom.push(customPattern(pattern, `${option}[${i}]`))
    }
  })
  const steps = [...builtinOrder.filter((name) => named.has(name)).map((name) => builtins[name]), ...custom]
  if (steps.length === 0) return undefined
  return chainSteps(steps, replace)
}

/**
 * The steps as one function, written out once (as the path masker is): each
 * step's test and rewrite is a call site of its own, which the engine sees
 * always call the same function and inlines, where a loop over the steps
 * would make one call site see them all. Only indexes enter the source.
 */
function chainSteps (steps: readonly PatternStep[], replace: ReplaceMatch | undefined): StringMasker {
  const lines = steps.map(({ might }, i) => {
    const apply = `out = a${i}(out ?? value, replace) ?? out;`
    return might === undefined ? apply : `if (m${i}(value)) ${apply}`
  })
  const source = `return (value) => {\nlet out;\n${lines.join('\n')}\nreturn out;\n}`
  const build = new Function('replace', ...steps.flatMap((_, i) => [`m${i}`, `a${i}`]), source) as (...args: unknown[]) => StringMasker
  return build(replace, ...steps.flatMap(({ might, apply }) => [might, apply]))
}

function customPattern (pattern: unknown, option: string): PatternStep {
  let regex: unknown = pattern
  let flags: unknown
  let replacement: unknown = '[REDACTED]'
  if (isObject(pattern) && !(pattern instanceof RegExp)) {
    optionObject(option, pattern, ['regex', 'flags', 'replacement'])
    ;({ regex, flags } = pattern)
    if (pattern.replacement !== undefined) replacement = pattern.replacement
    if (typeof replacement !== 'string') throw new ConfigError(`${option}.replacement`, `expected a string, got ${describe(replacement)}`)
  }
  let compiled: RegExp
  try {
    if (regex instanceof RegExp) compiled = new RegExp(regex.source, withGlobal(regex.flags))
    else if (typeof regex === 'string' && regex !== '') compiled = new RegExp(regex, withGlobal(typeof flags === 'string' ? flags : ''))
    else throw new ConfigError(option, `expected a built-in pattern name, a RegExp or { regex, flags?, replacement? }, got ${describe(regex)}`)
  } catch (err) {
    if (err instanceof ConfigError) throw err
    throw new ConfigError(option, `not a valid regular expression: ${(err as Error).message}`)
  }
  if (compiled.test('')) throw new ConfigError(option, `${String(compiled)} matches the empty string; it would mask between every character`)
  const fixed = replacement as string
  return regexStep({ regex: compiled, mask: () => fixed })
}

function withGlobal (flags: string): string {
  return flags.includes('g') ? flags : `${flags}g`
}

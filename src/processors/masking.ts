import { createHmac } from 'node:crypto'
import { ConfigError } from '../errors.js'
import { describe, optionObject, stringListOption } from '../config/option-checks.js'
import { safeStringify } from '../logger/safe-value.js'
import { REMOVE } from './mask-copy.js'
import { compilePathMasker } from './mask-paths.js'
import { compileStringMasker, type MaskPattern } from './mask-patterns.js'
import { compileDeepMasker } from './mask-walk.js'
import type { EventRecord, Processor } from './types.js'

export type MaskingMode = 'mask' | 'hash' | 'remove'

export interface MaskingOptions {
  /** Exact or wildcard paths from the record's top: `password`, `user.email`, `users[*].token`, `*.secret`, `headers["x-api-key"]`. */
  readonly paths?: readonly string[]
  /** Key names masked at any depth (`authorization`, `password`); matched case-insensitively. */
  readonly keys?: readonly string[]
  /** Value patterns found inside any string: `email`, `card`, `jwt`, `bearer`, `phone`, `ipv4`, or your own RegExp. */
  readonly patterns?: readonly MaskPattern[]
  /** `mask` (default): a masked form; `hash`: an HMAC of the value (needs `secret`); `remove`: the field or match is taken out. */
  readonly mode?: MaskingMode
  /** The HMAC-SHA256 key for `hash` mode, at least 16 characters. */
  readonly secret?: string
  /** What a masked path or key becomes in `mask` mode. Default `[REDACTED]`. */
  readonly censor?: string
}

const optionNames = ['paths', 'keys', 'patterns', 'mode', 'secret', 'censor'] as const
const modes: readonly MaskingMode[] = ['mask', 'hash', 'remove']

/**
 * Hides secrets before serialization: `paths` and `keys` replace whole
 * values, `patterns` rewrite matches inside every string, at any depth,
 * in errors' messages, stacks and causes, and in bound context (masked once,
 * at `bind()`). Copy-on-write: the caller's objects are never changed.
 */
export function masking (options: MaskingOptions): Processor {
  const given = optionObject('masking', options, optionNames)
  const mode = maskingMode(given.mode)
  const censor = given.censor === undefined ? '[REDACTED]' : censorOption(given.censor)
  const hash = mode === 'hash' ? hmacOf(secretOption(given.secret)) : undefined
  if (mode !== 'hash' && given.secret !== undefined) throw new ConfigError('masking.secret', 'only used with mode "hash"')

  const replaceValue = mode === 'remove'
    ? () => REMOVE
    : hash !== undefined
      ? (value: unknown) => hash(typeof value === 'string' ? value : safeStringify(value))
      : () => censor
  // `mask` mode: each pattern writes its own masked form.
  const replaceMatch = mode === 'remove'
    ? () => ''
    : hash !== undefined
      ? (value: string, from: number, to: number) => hash(value.slice(from, to))
      : undefined

  const paths = given.paths === undefined ? [] : stringListOption('masking.paths', given.paths)
  const keys = given.keys === undefined ? [] : stringListOption('masking.keys', given.keys)
  const patterns = patternList(given.patterns)
  const maskPaths = compilePathMasker(paths, replaceValue)
  const maskDeep = compileDeepMasker({
    keys: keys.length === 0 ? undefined : new Set(keys.map((key) => key.toLowerCase())),
    maskString: compileStringMasker(patterns, replaceMatch),
    replace: replaceValue
  })
  if (maskPaths === undefined && maskDeep === undefined) {
    throw new ConfigError('masking', 'give at least one of paths, keys or patterns')
  }

  const maskFields = maskPaths === undefined
    ? maskDeep!
    : maskDeep === undefined
      ? maskPaths
      : (fields: Readonly<Record<string, unknown>>) => maskDeep(maskPaths(fields))

  const processor = function mask (record: EventRecord): EventRecord {
    return maskFields(record) as EventRecord
  }
  return Object.assign(processor, { fields: maskFields })
}

function maskingMode (value: unknown): MaskingMode {
  if (value === undefined) return 'mask'
  if (!modes.includes(value as MaskingMode)) throw new ConfigError('masking.mode', `expected "mask", "hash" or "remove", got ${describe(value)}`)
  return value as MaskingMode
}

function censorOption (value: unknown): string {
  if (typeof value !== 'string') throw new ConfigError('masking.censor', `expected a string, got ${describe(value)}`)
  return value
}

function secretOption (value: unknown): string {
  if (value === undefined) throw new ConfigError('masking.secret', 'required with mode "hash": the HMAC key (keep it out of the code, e.g. from an environment variable)')
  if (typeof value !== 'string' || value.length < 16) throw new ConfigError('masking.secret', `expected a string of at least 16 characters, got ${typeof value === 'string' ? `${value.length} characters` : describe(value)}`)
  return value
}

function patternList (value: unknown): readonly unknown[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new ConfigError('masking.patterns', `expected an array of pattern names or RegExps, got ${describe(value)}`)
  return value
}

/** `hmac:` and the first 16 hex digits of HMAC-SHA256: the same value always gives the same token, and it cannot be reversed without the secret. */
function hmacOf (secret: string): (value: string) => string {
  return (value) => `hmac:${createHmac('sha256', secret).update(value).digest('hex').slice(0, 16)}`
}

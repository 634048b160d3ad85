import { isIP } from 'node:net'
import { ConfigError } from '../errors.js'
import { signingKey } from '../../transports/webhook/signature.js'
import { defaultChainKey } from '../store/chain.js'

/** `daslog serve`'s settings, checked once: every flag also read from the environment. */
export interface ServeOptions {
  readonly port: number
  readonly host: string
  /** `postgres://...`; when absent, the embedded store in `data`. */
  readonly db: string | undefined
  readonly data: string
  readonly table: string | undefined
  /** Bearer tokens accepted (several while one is rotated out). */
  readonly tokens: readonly string[]
  /** `user:password` for basic auth, or undefined. */
  readonly basic: { readonly user: string, readonly password: string } | undefined
  /** Standard Webhooks keys (from `whsec_` secrets) whose signatures are accepted. */
  readonly signingKeys: readonly Buffer[]
  /** RabbitMQ to consume into the store (with `queue`). */
  readonly amqp: { readonly url: string, readonly queue: string, readonly prefetch: number } | undefined
  /** Every stored record joins the hash chain of this key (docs/tamper-evidence.md), or undefined: stored unchained. */
  readonly chain: { readonly key: string } | undefined
}

/** The flags as parseArgs gives them; an absent flag falls back to its environment variable. */
export interface ServeFlags {
  readonly port?: string | undefined
  readonly host?: string | undefined
  readonly db?: string | undefined
  readonly data?: string | undefined
  readonly table?: string | undefined
  readonly token?: readonly string[] | undefined
  readonly basic?: string | undefined
  readonly 'signing-secret'?: readonly string[] | undefined
  readonly amqp?: string | undefined
  readonly queue?: string | undefined
  readonly prefetch?: string | undefined
  readonly chain?: boolean | undefined
  readonly 'chain-key'?: string | undefined
}

/** Each flag and the environment variable that stands in for it. */
export const serveEnvironment = {
  port: 'DASLOG_PORT',
  host: 'DASLOG_HOST',
  db: 'DATABASE_URL',
  data: 'DASLOG_DATA',
  table: 'DASLOG_TABLE',
  token: 'DASLOG_TOKENS',
  basic: 'DASLOG_BASIC_AUTH',
  'signing-secret': 'DASLOG_SIGNING_SECRET',
  amqp: 'DASLOG_AMQP_URL',
  queue: 'DASLOG_QUEUE',
  prefetch: 'DASLOG_PREFETCH',
  chain: 'DASLOG_CHAIN',
  'chain-key': 'DASLOG_CHAIN_KEY'
} as const satisfies Record<keyof ServeFlags, string>

/** A comma list with its empty entries dropped (`DASLOG_TOKENS=''` or `a,,b`). */
const list = (values: readonly string[]): string[] => values.flatMap((value) => value.split(',')).map((entry) => entry.trim()).filter((entry) => entry !== '')

/** The settings from flags, else the environment, else the contract's defaults; a ConfigError naming the flag when one is wrong. */
export function serveOptions (flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): ServeOptions {
  const text = (flag: Exclude<keyof ServeFlags, 'token' | 'signing-secret' | 'chain'>): string | undefined => {
    const value = flags[flag] ?? env[serveEnvironment[flag]]
    return value === undefined || value.trim() === '' ? undefined : value.trim()
  }
  const many = (flag: 'token' | 'signing-secret'): string[] => list(flags[flag] ?? [env[serveEnvironment[flag]] ?? ''])

  const port = whole('--port', text('port') ?? '8080', 0, 65535)
  const host = text('host') ?? '127.0.0.1'
  const db = text('db')
  if (db !== undefined && !/^postgres(?:ql)?:\/\//.test(db)) throw new ConfigError('--db', 'expected a postgres:// URL (or no --db for the embedded store in --data)')
  if (db !== undefined && flags.data !== undefined) throw new ConfigError('--db', 'give either --db <postgres://...> or --data <folder>, not both')
  const basicText = text('basic')
  let basic: ServeOptions['basic']
  if (basicText !== undefined) {
    const at = basicText.indexOf(':')
    if (at <= 0 || at === basicText.length - 1) throw new ConfigError('--basic', 'expected user:password, both non-empty')
    basic = { user: basicText.slice(0, at), password: basicText.slice(at + 1) }
  }
  const signingKeys = many('signing-secret').map((secret) => signingKey('--signing-secret', secret))
  const tokens = many('token')
  const amqpUrl = text('amqp')
  const queue = text('queue')
  if (queue !== undefined && amqpUrl === undefined) throw new ConfigError('--queue', 'goes with --amqp <amqp://...>')
  if (amqpUrl !== undefined && queue === undefined) throw new ConfigError('--queue', 'give the queue to consume with --amqp')
  if (amqpUrl !== undefined && !/^amqps?:\/\//.test(amqpUrl)) throw new ConfigError('--amqp', 'expected an amqp:// or amqps:// URL')
  const prefetch = whole('--prefetch', text('prefetch') ?? '100', 1, 65535)
  const chainKey = text('chain-key')
  const chained = flags.chain ?? onOff('--chain', serveEnvironment.chain, env[serveEnvironment.chain])
  if (chainKey !== undefined && chained !== true) throw new ConfigError('--chain-key', 'goes with --chain (DASLOG_CHAIN=true): the chain the collector stores its records in')
  if (chainKey !== undefined && chainKey.length > 200) throw new ConfigError('--chain-key', `expected at most 200 characters, got ${chainKey.length}`)

  const options: ServeOptions = {
    port,
    host,
    db,
    data: text('data') ?? 'daslog-data',
    table: text('table'),
    tokens,
    basic,
    signingKeys,
    amqp: amqpUrl === undefined || queue === undefined ? undefined : { url: amqpUrl, queue, prefetch },
    chain: chained === true ? { key: chainKey ?? defaultChainKey } : undefined
  }
  if (!hasAuth(options) && !isLoopback(host)) {
    throw new ConfigError('--host', `${host} is reachable from other machines and no auth is configured: give --token (DASLOG_TOKENS), --basic (DASLOG_BASIC_AUTH) or --signing-secret (DASLOG_SIGNING_SECRET), or listen on 127.0.0.1`)
  }
  return options
}

export function hasAuth (options: Pick<ServeOptions, 'tokens' | 'basic' | 'signingKeys'>): boolean {
  return options.tokens.length > 0 || options.basic !== undefined || options.signingKeys.length > 0
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback (host: string): boolean {
  if (host === 'localhost') return true
  const bare = host.replace(/^\[|\]$/g, '')
  if (isIP(bare) === 4) return bare.startsWith('127.')
  return bare === '::1' || /^::ffff:127\./i.test(bare)
}

/** A switch from the environment: true/1/yes or false/0/no; unset or empty is undefined. */
function onOff (flag: string, variable: string, value: string | undefined): boolean | undefined {
  const given = value?.trim().toLowerCase() ?? ''
  if (given === '') return undefined
  if (['true', '1', 'yes'].includes(given)) return true
  if (['false', '0', 'no'].includes(given)) return false
  throw new ConfigError(flag, `${variable}: expected true or false, got ${JSON.stringify(value)}`)
}

function whole (flag: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isInteger(number) || number < min || number > max) throw new ConfigError(flag, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  return number
}

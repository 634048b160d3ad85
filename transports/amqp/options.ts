import { ConfigError } from '../../src/errors.js'
import { booleanOption, describe, integerOption, isObject, stringOption, urlOption } from '../../src/config/option-checks.js'
import type { Catalog } from '../../src/catalog/types.js'
import { workingDirectoryDeadLetter, type OptionsSpec } from '../shared/common-options.js'
import { batchOption, type BatchOptions } from '../shared/batch-option.js'
import { networkOptionNames, networkOptions, type NetworkOptions } from '../shared/network-options.js'
import { checkRoutingKey, routingKeysOf } from './routing-key.js'

export interface AmqpOptions extends NetworkOptions {
  readonly url: URL
  /** A topic exchange, declared durable (default `daslog`). */
  readonly exchange: string
  /** The routing key template: `{domain}.{action}.{status}` (the default), `{event}`, or any text with those placeholders. */
  readonly routingKey: string
  /** Routing keys by event name, made from the template and the catalog (the logger's, resolved in the main thread). */
  readonly routingKeys: Readonly<Record<string, string>>
  /** A queue declared durable and bound to the exchange with `#`; none by default. */
  readonly queue: string | undefined
  /** Messages written to disk by the broker (delivery mode 2; default true). */
  readonly persistent: boolean
  readonly batch: BatchOptions
  /** Batches being published at once (default 2): one fills the socket while the other waits for its confirms. */
  readonly concurrency: number
}

export const defaultUrl = 'amqp://guest:guest@127.0.0.1:5672'
export const defaultExchange = 'daslog'
export const defaultRoutingKey = '{domain}.{action}.{status}'
/** Confirms are waited for per batch; 500 records a batch, two in flight (measured in bench/amqp.js). */
export const defaultBatch: BatchOptions = { size: 500, intervalMs: 0 }
export const defaultConcurrency = 2

/** `amqp://host:port/vhost` without user and password: how stats and dead letters name the broker. */
export function brokerName (url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '' ? '' : url.pathname}`
}

function routingKeysOption (value: unknown): Record<string, string> {
  if (value === undefined) return {}
  if (!isObject(value)) throw new ConfigError('routingKeys', `expected an object of routing keys by event name, got ${describe(value)}`)
  const keys: Record<string, string> = {}
  for (const [event, key] of Object.entries(value)) keys[event] = checkRoutingKey(`routingKeys.${event}`, key)
  return keys
}

function nameOption (option: string, value: unknown, fallback: string | undefined): string | undefined {
  if (value === undefined) return fallback
  const name = stringOption(option, value)
  if (Buffer.byteLength(name) > 255) throw new ConfigError(option, 'is longer than AMQP\'s 255 bytes')
  return name
}

/**
 * The amqp transport's options. `prepare` runs in the main thread with the
 * logger's catalog (and again in the worker with the default one): it
 * resolves the routing key of every catalog event into `routingKeys`, where
 * keys already there (the user's, or the main thread's) win.
 */
export const amqpOptionsSpec: OptionsSpec<AmqpOptions> = {
  kind: 'amqp',
  optionNames: ['url', 'exchange', 'routingKey', 'routingKeys', 'queue', 'persistent', 'batch', 'concurrency', ...networkOptionNames],
  prepare (options, catalog: Catalog) {
    const template = options.routingKey === undefined ? defaultRoutingKey : checkRoutingKey('routingKey', options.routingKey)
    return { ...options, routingKeys: { ...routingKeysOf(template, catalog), ...routingKeysOption(options.routingKeys) } }
  },
  parse (options) {
    const batch = batchOption(options.batch, defaultBatch)
    return {
      url: urlOption('url', options.url ?? defaultUrl, ['amqp:', 'amqps:']),
      exchange: nameOption('exchange', options.exchange, defaultExchange)!,
      routingKey: options.routingKey === undefined ? defaultRoutingKey : checkRoutingKey('routingKey', options.routingKey),
      routingKeys: routingKeysOption(options.routingKeys),
      queue: nameOption('queue', options.queue, undefined),
      persistent: booleanOption('persistent', options.persistent, true),
      batch: batch === false ? { size: 1, intervalMs: 0 } : batch,
      concurrency: options.concurrency === undefined ? defaultConcurrency : integerOption('concurrency', options.concurrency, 1, 16),
      ...networkOptions(options)
    }
  },
  describe: (options) => `${brokerName(options.url)} ${options.exchange}`,
  defaultDeadLetter: (options) => workingDirectoryDeadLetter('amqp', `${options.url.hostname}-${options.exchange}`)
}

import { ConfigError } from '../../src/errors.js'
import { stringOption } from '../../src/config/option-checks.js'
import type { Catalog } from '../../src/catalog/types.js'

const placeholder = /\{([^{}]*)\}/g
const placeholders = new Set(['event', 'domain', 'action', 'status'])
const catalogParts = /\{(?:domain|action|status)\}/

/** A routing key template: at most 255 bytes, placeholders among `{event}`, `{domain}`, `{action}`, `{status}`. */
export function checkRoutingKey (option: string, value: unknown): string {
  const template = stringOption(option, value)
  for (const [, name] of template.matchAll(placeholder)) {
    if (!placeholders.has(name!)) throw new ConfigError(option, `has an unknown placeholder {${name}}; use {event}, {domain}, {action} or {status}`)
  }
  if (Buffer.byteLength(template) > 255) throw new ConfigError(option, 'is longer than AMQP\'s 255 bytes')
  return template
}

function render (template: string, parts: Readonly<Record<string, string>>): string {
  return template.replace(placeholder, (_, name: string) => parts[name]!)
}

/** The routing key of every event of the catalog: `payment.charge.failed` for `{domain}.{action}.{status}`. */
export function routingKeysOf (template: string, catalog: Catalog): Record<string, string> {
  const keys: Record<string, string> = {}
  for (const [event, spec] of Object.entries(catalog.events)) {
    keys[event] = render(template, { event, domain: spec.domain, action: spec.action, status: spec.status })
  }
  return keys
}

/**
 * The routing key of a record's event: the one made for it from the catalog
 * (one lookup), else, for an event the catalog does not know, the template
 * with `{event}` when it names no catalog part, or the event name.
 */
export function routingKeyOf (template: string, keys: Readonly<Record<string, string>>): (event: string) => string {
  const usesCatalog = catalogParts.test(template)
  const known = new Map(Object.entries(keys))
  return (event) => known.get(event) ?? (usesCatalog ? event : render(template, { event }))
}

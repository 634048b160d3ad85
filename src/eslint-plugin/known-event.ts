import { statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { Rule } from 'eslint'
import { catalog as defaultCatalog } from '../catalog/default-catalog.gen.js'
import { loadCatalogFile } from '../catalog/load-catalog.js'
import { didYouMean } from '../did-you-mean.js'
import { eventValue, loggerCallArgument, ruleOptionsSchema, type LoggerCallOptions } from './event-argument.js'

export interface KnownEventOptions extends LoggerCallOptions {
  /** The catalog file (YAML or JSON, relative to ESLint's working directory), or `daslog` for daslog's default catalog (the default). */
  readonly catalog?: string
}

/** Catalogs already read, by path, with the file's modification time: an editor's ESLint sees a changed catalog. */
const loaded = new Map<string, { mtimeMs: number, events: ReadonlySet<string> }>()

/** The event names of a catalog file, read the way `daslog generate` reads it (includes followed, errors thrown). */
function catalogEvents (option: string | undefined, cwd: string): ReadonlySet<string> {
  if (option === undefined || option === 'daslog') return defaultEvents
  const file = isAbsolute(option) ? option : join(cwd, option)
  const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1
  const cached = loaded.get(file)
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.events
  const events = new Set(Object.keys(loadCatalogFile(file).events))
  loaded.set(file, { mtimeMs, events })
  return events
}
const defaultEvents: ReadonlySet<string> = new Set(Object.keys(defaultCatalog.events))

/**
 * `daslog/known-event`: an event name written as a string (a literal, or a
 * const holding one) is an event of the catalog; `log.timed('x_y', ...)`
 * names an operation whose `x_y_started` is. Generated `Events.X` constants
 * are left to TypeScript.
 */
export const knownEvent: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Require event names written as strings to be events of the catalog'
    },
    schema: [ruleOptionsSchema],
    messages: {
      unknown: '"{{name}}" is not an event of the catalog ({{catalog}}){{hint}}',
      unknownOperation: '"{{name}}" is not an operation of the catalog ({{catalog}}): it has no "{{name}}_started" event{{hint}}'
    }
  },
  create (context) {
    const options = (context.options[0] ?? {}) as KnownEventOptions
    const ignore = options.ignore ?? ['console']
    const eventObjects = options.eventObjects ?? ['Events']
    const catalog = options.catalog === undefined || options.catalog === 'daslog' ? 'daslog\'s default catalog' : options.catalog
    let events: ReadonlySet<string> | undefined
    return {
      CallExpression (node) {
        const call = loggerCallArgument(node, ignore, true)
        if (call === undefined) return
        const value = eventValue(call.argument, context, eventObjects)
        if (value.kind !== 'known' || value.strings.length === 0) return
        events ??= catalogEvents(options.catalog, context.cwd)
        for (const name of value.strings) {
          if (call.method === 'timed') {
            if (events.has(`${name}_started`)) continue
            const operations = [...events].filter((event) => event.endsWith('_started')).map((event) => event.slice(0, -'_started'.length))
            context.report({ node: call.argument, messageId: 'unknownOperation', data: { name, catalog, hint: didYouMean(name, operations) } })
          } else if (!events.has(name)) {
            context.report({ node: call.argument, messageId: 'unknown', data: { name, catalog, hint: didYouMean(name, events) } })
          }
        }
      }
    }
  }
}

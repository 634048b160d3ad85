import { parseArgs } from 'node:util'
import { ConfigError } from '../errors.js'
import { isLevelName, levelNameOf, type LevelName } from '../levels.js'
import { maxLimit, type QueryFilter } from '../store/query.js'
import type { StoredEvent } from '../store/rows.js'
import { headerLine, rowFormatter } from '../../transports/csv/format.js'
import { unsafeOnOneLine } from '../../transports/shared/control-characters.js'
import { serverArgOptions, serverSource, serverTarget, type QuerySource } from './server-source.js'
import { storeArgOptions, storeOf } from './store-source.js'

export const queryUsage = `  daslog query [--server <url> [--token <t>] | --db <url> | --data <folder>] [--event <glob>]... [--correlation-id <id>]
               [--where <field=value>]... [--level <name>] [--since 15m|2h|7d|<time>] [--until <time>]
               [--limit <n>] [--after <cursor>] [--format table|json|csv] [--table <name>]
      Find stored events, newest first (default 100). json writes one event per line, csv a
      header and a row per event; the cursor of the next page goes to stderr. --server asks a
      collector (daslog serve) over HTTP instead; --token defaults to DASLOG_TOKEN.`

const formats = ['table', 'json', 'csv'] as const
type Format = (typeof formats)[number]

const unitMs: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `15m`, `2h`, `7d` ago, or a time as the store reads it (ISO 8601). */
export function timeArg (option: string, value: string, now = Date.now()): Date | string {
  const duration = /^(\d+)([smhdw])$/.exec(value)
  if (duration !== null) return new Date(now - Number(duration[1]) * unitMs[duration[2]!]!)
  if (Number.isNaN(Date.parse(value))) throw new ConfigError(option, `expected a duration such as 15m, 2h or 7d, or an ISO 8601 time, got ${JSON.stringify(value)}`)
  return value
}

function whereArgs (values: readonly string[]): Record<string, string> {
  const where: Record<string, string> = {}
  for (const pair of values) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new ConfigError('--where', `expected field=value, got ${JSON.stringify(pair)}`)
    where[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return where
}

/** `daslog query`: prints the events a filter finds; pages through the store for a --limit above its page size. */
export async function queryCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...storeArgOptions,
      ...serverArgOptions,
      event: { type: 'string', multiple: true },
      'correlation-id': { type: 'string' },
      where: { type: 'string', multiple: true },
      level: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      after: { type: 'string' },
      format: { type: 'string' }
    }
  })
  const format = (values.format ?? 'table') as Format
  if (!formats.includes(format)) throw new ConfigError('--format', `expected table, json or csv, got ${JSON.stringify(values.format)}`)
  const limit = values.limit === undefined ? 100 : Number(values.limit)
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('--limit', `expected a whole number above 0, got ${JSON.stringify(values.limit)}`)
  if (values.level !== undefined && !isLevelName(values.level)) throw new ConfigError('--level', `expected trace, debug, info, warn, error or fatal, got ${JSON.stringify(values.level)}`)
  const filter: QueryFilter = {
    ...(values.event === undefined ? {} : { event: values.event }),
    ...(values['correlation-id'] === undefined ? {} : { correlationId: values['correlation-id'] }),
    ...(values.where === undefined ? {} : { where: whereArgs(values.where) }),
    ...(values.level === undefined ? {} : { level: values.level as LevelName }),
    ...(values.since === undefined ? {} : { from: timeArg('--since', values.since) }),
    ...(values.until === undefined ? {} : { to: timeArg('--until', values.until) })
  }

  const store = await sourceOf(values)
  const events: StoredEvent[] = []
  let after = values.after
  try {
    do {
      const page = await store.query({ ...filter, limit: Math.min(maxLimit, limit - events.length), ...(after === undefined ? {} : { after }) })
      events.push(...page.events)
      after = page.next ?? undefined
    } while (after !== undefined && events.length < limit)
  } finally {
    await store.close()
  }
  for (const line of render(events, format)) out(line)
  if (after !== undefined) err(`daslog: more events: --after ${after}`)
  else if (format === 'table') err(`daslog: ${events.length} event(s)`)
  return 0
}

async function sourceOf (values: { server?: string | undefined, token?: string | undefined, db?: string | undefined, data?: string | undefined, table?: string | undefined }): Promise<QuerySource> {
  const target = serverTarget(values)
  return target === undefined ? await storeOf(values) : serverSource(target.url, target.token)
}

function render (events: readonly StoredEvent[], format: Format): string[] {
  if (format === 'json') return events.map((event) => JSON.stringify(event))
  if (format === 'csv') {
    const columns = ['event_id', 'time', 'level', 'event', 'correlation_id', 'data']
    const row = rowFormatter(columns)
    return [headerLine(columns).trimEnd(), ...events.map((event) => row(event).trimEnd())]
  }
  return table(events)
}

const lead = new Set(['event_id', 'time', 'level', 'event', 'correlation_id'])

/** For people: aligned columns, then the fields as name=value; terminal sequences and control characters never reach the terminal. */
function table (events: readonly StoredEvent[]): string[] {
  const clean = (text: string): string => text.replace(unsafeOnOneLine, ' ')
  const rows = events.map((event) => [
    String(event.time),
    typeof event.level === 'number' ? levelNameOf(event.level) : '',
    clean(String(event.event)),
    clean(typeof event.correlation_id === 'string' ? event.correlation_id : ''),
    clean(Object.entries(event).filter(([key]) => !lead.has(key)).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' '))
  ])
  const header = ['TIME', 'LEVEL', 'EVENT', 'CORRELATION_ID', 'FIELDS']
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
  return [header, ...rows].map((row) => row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i]!)).join('  ').trimEnd())
}

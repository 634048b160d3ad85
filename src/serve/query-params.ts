import { isLevelName, levelNames } from '../levels.js'
import { maxLimit, type QueryFilter } from '../store/query.js'
import { StoreError } from '../store/store-error.js'
import { badRequest, type HttpError } from './http-error.js'

/** The `query()` filter's parameters; any other parameter is a `where` field. */
const filterParams = new Set(['event', 'correlation_id', 'level', 'from', 'to', 'limit', 'after'])

/**
 * A query string as the store's filter: `event` (repeatable, globs),
 * `correlation_id`, `level` (a minimum), `from`/`to`, `limit`, `after`, and
 * every other parameter a field that must equal its value as text
 * (`?event_data.account_id=1346` finds the number 1346).
 */
export function filterOf (params: URLSearchParams): QueryFilter {
  const one = (name: string): string | undefined => {
    const values = params.getAll(name)
    if (values.length > 1) throw badRequest('invalid_parameter', `${name}: given ${values.length} times; give it once`)
    return values[0]
  }
  const where: Record<string, string> = {}
  for (const name of new Set(params.keys())) {
    if (filterParams.has(name)) continue
    if (name === '' || name.split('.').includes('')) throw badRequest('invalid_parameter', `${JSON.stringify(name)}: expected a field name (dotted names reach nested fields)`)
    where[name] = one(name)!
  }
  const events = params.getAll('event')
  const level = one('level')
  if (level !== undefined && !isLevelName(level)) throw badRequest('invalid_parameter', `level: expected ${levelNames.join(', ')}, got ${JSON.stringify(level)}`)
  const limitText = one('limit')
  const limit = limitText === undefined ? undefined : /^\d+$/.test(limitText) ? Number(limitText) : NaN
  if (limit !== undefined && !(limit >= 1 && limit <= maxLimit)) throw badRequest('invalid_parameter', `limit: expected a whole number from 1 to ${maxLimit}, got ${JSON.stringify(limitText)}`)
  const value = (name: string, key: keyof QueryFilter): Partial<QueryFilter> => {
    const given = one(name)
    return given === undefined ? {} : { [key]: given }
  }
  return {
    ...(events.length === 0 ? {} : { event: events.length === 1 ? events[0]! : events }),
    ...value('correlation_id', 'correlationId'),
    ...(level === undefined ? {} : { level }),
    ...value('from', 'from'),
    ...value('to', 'to'),
    ...(limit === undefined ? {} : { limit }),
    ...value('after', 'after'),
    ...(Object.keys(where).length === 0 ? {} : { where })
  }
}

const paramOfOption: Readonly<Record<string, string>> = {
  'filter.event': 'event', 'filter.correlationId': 'correlation_id', 'filter.level': 'level', 'filter.from': 'from', 'filter.to': 'to', 'filter.limit': 'limit', 'filter.after': 'after'
}

/** A StoreError about the filter as a 400 naming the query parameter; undefined for anything else. */
export function parameterError (error: unknown): HttpError | undefined {
  if (!(error instanceof StoreError) || !error.option.startsWith('filter.')) return undefined
  const field = /^filter\.where\["(.*)"\]$/.exec(error.option)?.[1]
  const param = field ?? paramOfOption[error.option] ?? error.option
  return badRequest('invalid_parameter', `${param}: ${error.message.slice(error.message.indexOf(': ') + 2)}`)
}

import { wordsPattern } from '../catalog/vocabulary.js'
import { isLevelName } from '../levels.js'
import type { StoredEvent } from '../store/rows.js'
import { timeText } from '../store/rows.js'
import { newEventId, uuidPattern } from '../../transports/shared/event-id.js'
import { badRequest } from './http-error.js'

/**
 * A POST body as the records to store: one record or an array of them,
 * each a daslog record (`event`, `event_id`, `time`, `level`, fields) or
 * the EventLogger shape `{ event_type, user_identity, event_data }` (stored as event
 * `event_type` with the other keys as fields). A record without an
 * `event_id` gets one. Anything wrong is a 400 naming the record and field;
 * then nothing of the batch is stored.
 */
export function recordsOf (body: Buffer): StoredEvent[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw badRequest('invalid_json', `the body is not JSON: ${(error as Error).message}`)
  }
  const many = Array.isArray(parsed)
  const items: unknown[] = many ? parsed as unknown[] : [parsed]
  if (items.length === 0) throw badRequest('invalid_body', 'expected a record or a non-empty array of records, got []')
  return items.map((item, i) => recordOf(item, many ? `records[${i}]` : ''))
}

function recordOf (item: unknown, at: string): StoredEvent {
  const name = (field: string): string => at === '' ? field : `${at}.${field}`
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw badRequest('invalid_record', `${at === '' ? 'the body' : at}: expected a JSON object (a daslog record, or { event_type, user_identity, event_data }), got ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}`)
  }
  const source = item as Record<string, unknown>
  const eventLoggerShape = source.event === undefined && source.event_type !== undefined
  const nameField = eventLoggerShape ? 'event_type' : 'event'
  const event = eventLoggerShape ? source.event_type : source.event
  if (typeof event !== 'string' || !wordsPattern.test(event)) {
    throw badRequest('invalid_event', `${name(nameField)}: expected an event name, lowercase words joined by "_" (such as "user_login_success"), got ${JSON.stringify(event) ?? 'nothing'}`)
  }
  const id = source.event_id
  if (id !== undefined && (typeof id !== 'string' || !uuidPattern.test(id))) throw badRequest('invalid_event_id', `${name('event_id')}: expected a UUID, got ${JSON.stringify(id)}`)
  if (source.time !== undefined) {
    try {
      timeText(source.time, 'time')
    } catch {
      throw badRequest('invalid_time', `${name('time')}: expected ms since the epoch or an ISO 8601 time, got ${JSON.stringify(source.time)}`)
    }
  }
  const level = source.level
  if (level !== undefined && !(typeof level === 'number' && Number.isInteger(level) && level >= 0 && level <= 32767) && !isLevelName(level)) {
    throw badRequest('invalid_level', `${name('level')}: expected a level number (30) or name (info), got ${JSON.stringify(level)}`)
  }
  if (!eventLoggerShape) return id === undefined ? { event_id: newEventId(), ...source } : source
  const { event_type: _type, ...fields } = source
  return { event_id: id ?? newEventId(), level: level ?? 30, event, ...fields }
}

import { randomFillSync } from 'node:crypto'

/**
 * Event ids: UUID version 7 (RFC 9562), a millisecond Unix timestamp then
 * random bits, so ids sort by creation time and index well as a primary key.
 * Random bytes come from a pool refilled 4 KiB at a time (as
 * `crypto.randomUUID` caches its entropy); the text is built from a
 * byte-to-hex table.
 */
const pool = Buffer.alloc(4096)
let used = pool.length
const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** A fresh UUID v7 (`0190f3c2-7a1b-7c3d-9e4f-0123456789ab`). */
export function newEventId (now = Date.now()): string {
  if (used + 10 > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  const r = used
  used += 10
  const ms = now.toString(16).padStart(12, '0').slice(-12)
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${hex[pool[r]!]!.slice(1)}${hex[pool[r + 1]!]!}-` +
    `${hex[(pool[r + 2]! & 0x3f) | 0x80]!}${hex[pool[r + 3]!]!}-` +
    `${hex[pool[r + 4]!]!}${hex[pool[r + 5]!]!}${hex[pool[r + 6]!]!}${hex[pool[r + 7]!]!}${hex[pool[r + 8]!]!}${hex[pool[r + 9]!]!}`
}

/** How a line that carries its id starts: the id is its first key, put there by the worker or the transport. */
export const eventIdPrefix = '{"event_id":"'
/** `{"event_id":"<36 characters>",`: what `withEventId` puts before the rest of a line. */
const prefixLength = eventIdPrefix.length + 36 + 2

/** A UUID in its canonical text form (any version), as the store's `uuid` column takes it. */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The line with an event id as its first key, unless it has one there
 * already. A record that carries its own `event_id` further on keeps it: the
 * last of two equal keys is the one JSON.parse keeps. A line that is not a
 * JSON object is left as it is.
 */
export function withEventId (line: string): string {
  if (line.startsWith(eventIdPrefix) || line.charCodeAt(0) !== 0x7b) return line
  return line.charCodeAt(1) === 0x7d
    ? `${eventIdPrefix}${newEventId()}"${line.slice(1)}`
    : `${eventIdPrefix}${newEventId()}",${line.slice(1)}`
}

/** The line as it was before `withEventId`, for targets that are not daslog's (pino-pretty, pino/file) and must see the application's records unchanged. */
export function withoutEventId (line: string): string {
  return line.startsWith(eventIdPrefix) && line.charCodeAt(prefixLength - 1) === 0x2c ? '{' + line.slice(prefixLength) : line
}

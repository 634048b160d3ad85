import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Test } from 'tap'
import { createTransport, transportControl, type DaslogTransportStream, type Destination, type LogRecord } from '../../transports/shared/runtime.js'
import type { RetryPolicy } from '../../transports/shared/retry.js'
import { readLines } from '../helpers.js'

/** A CSV file read back with csv-parse (RFC 4180), every row as an array of cells, the header first. */
export function readCsv (file: string): string[][] {
  return parse(readFileSync(file, 'utf8'), { relax_column_count: false }) as string[][]
}

/** The files of a folder whose names start with `prefix`, sorted by name. */
export function filesIn (dir: string, prefix: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(prefix)).sort().map((name) => join(dir, name))
}

/** The Twilio credentials the sms tests configure (the local endpoint takes any unless told). */
export const accountSid = 'AC' + 'a'.repeat(32)
export const authToken = 'test-auth-token'

/** A dead-letter file's lines, parsed. */
export const readDeadLetters = readLines

export interface TestDestinationOptions {
  readonly deliver: (records: readonly LogRecord[]) => Promise<void> | void
  readonly batchSize?: number
  readonly retry?: RetryPolicy
  readonly inline?: boolean
}

/** A transport on the shared runtime whose delivery the test writes; run in-process. */
export async function testTransport (destination: TestDestinationOptions, options: Record<string, unknown>): Promise<DaslogTransportStream> {
  const opened: Destination = {
    batchSize: destination.batchSize ?? 10,
    retry: destination.retry ?? { attempts: 3, minDelayMs: 5, maxDelayMs: 20 },
    deliver: destination.deliver,
    ...(destination.inline === undefined ? {} : { inline: destination.inline })
  }
  return createTransport({
    kind: 'test',
    optionNames: [],
    parse: () => ({}),
    describe: () => 'here',
    defaultDeadLetter: () => 'unused.ndjson',
    open: () => opened
  }, options)
}

/** Writes pino-like lines for `events`, one record each, with `i` as a field. */
export function writeRecords (stream: NodeJS.WritableStream, events: readonly string[]): void {
  stream.write(events.map((event, i) => JSON.stringify({ level: 30, time: 1_700_000_000_000 + i, event, i }) + '\n').join(''))
}

/** Ends a transport stream and waits until it closed (everything delivered or dead-lettered). */
export async function endTransport (stream: DaslogTransportStream): Promise<void> {
  const closed = once(stream, 'close')
  stream.end()
  await closed
}

/** Waits until the transport holds nothing (throttle windows end), then ends it. */
export async function drainAndEnd (stream: DaslogTransportStream): Promise<void> {
  await stream[transportControl].drained()
  await endTransport(stream)
}

export function statsOf (stream: DaslogTransportStream): ReturnType<DaslogTransportStream[typeof transportControl]['stats']> {
  return stream[transportControl].stats()
}

/** A UUID version 7, as daslog's event ids are. */
export const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * Records as received (webhook bodies), each checked to carry a UUID v7
 * `event_id`, all different, then without it: the rest compares as logged.
 */
export function withoutEventIds (t: Test, records: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  const ids = new Set<unknown>()
  const rest = records.map(({ event_id: id, ...record }) => {
    t.match(id, uuidV7, 'the record carries its event id')
    ids.add(id)
    return record
  })
  t.equal(ids.size, records.length, 'every record has its own event id')
  return rest
}

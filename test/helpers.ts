import { mkdtempSync, readFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'

/** The fields pino adds to every record, for whole-record comparisons after deleting `time`. */
export const base = { pid: process.pid, hostname: hostname() }

/** The record without `time` (checked to be a number first), for deep equality. */
export function withoutTime (record: Record<string, unknown> | undefined): Record<string, unknown> {
  if (record === undefined) throw new Error('no record')
  if (typeof record.time !== 'number') throw new Error(`record has no numeric time: ${JSON.stringify(record)}`)
  const { time: _time, ...rest } = record
  return rest
}

export function tempDir (prefix: string): string {
  return mkdtempSync(join(tmpdir(), `daslog-${prefix}-`))
}

/** Every line of an NDJSON file, parsed. */
export function readLines (file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** A destination stream that keeps what is written to it: as one text, or as its non-empty lines. */
export function textSink (): { stream: Writable, text: () => string, lines: () => string[] } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, callback) { chunks.push(chunk.toString('utf8')); callback() } })
  const text = (): string => chunks.join('')
  return { stream, text, lines: () => text().split('\n').filter(Boolean) }
}

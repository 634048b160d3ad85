import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
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

/** The folders tempDir made in this process: removed when it exits. */
const made: string[] = []

function removeMade (): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/**
 * A new folder in the OS temp dir (`daslog-<prefix>-XXXXXX`), removed with
 * everything in it when the test process exits, however its tests ended.
 */
export function tempDir (prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `daslog-${prefix}-`))
  if (made.push(dir) === 1) {
    process.on('exit', removeMade)
    // Once the tests are done, go last among the exit listeners: a logger left open delivers its last records at exit first.
    process.on('beforeExit', () => { process.off('exit', removeMade).on('exit', removeMade) })
  }
  return dir
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

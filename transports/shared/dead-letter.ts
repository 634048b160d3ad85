import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { writeFully } from './write-fully.js'

/** What the dead-letter file reports back: lines that reached the disk, and lines that could not. */
export interface DeadLetterCounts {
  onWritten (count: number): void
  onLost (count: number, error: unknown): void
}

const flushAtBytes = 64 * 1024

/**
 * The dead-letter file: NDJSON, one line per record that could not be
 * delivered, with the error and the attempt count, so `daslog replay` can
 * re-deliver it. Lines are buffered and appended synchronously (this runs in
 * the transport worker), at 64 KiB, on the next turn of the event loop, and
 * at close; the file and its folder are created on the first line only.
 */
export class DeadLetterFile {
  private fd: number | undefined
  private buffer = ''
  private lines = 0
  private scheduled = false
  // Overflow dead-letters many lines in a row: what they share is made once.
  private readonly sourceJson: string
  private lastError = ''
  private lastErrorJson = '""'
  private lastTime = 0
  private lastTimeJson = ''

  constructor (
    readonly path: string,
    source: { transport: string, name: string },
    private readonly counts: DeadLetterCounts
  ) {
    this.sourceJson = `"transport":${JSON.stringify(source.transport)},"name":${JSON.stringify(source.name)},`
  }

  /** `recordJson` is the record as one line of JSON. */
  add (recordJson: string, error: string, attempts: number): void {
    if (error !== this.lastError) {
      this.lastError = error
      this.lastErrorJson = JSON.stringify(error)
    }
    const now = Date.now()
    if (now !== this.lastTime) {
      this.lastTime = now
      this.lastTimeJson = `{"time":"${new Date(now).toISOString()}",`
    }
    this.buffer += `${this.lastTimeJson}${this.sourceJson}"error":${this.lastErrorJson},"attempts":${attempts},"record":${recordJson}}\n`
    this.lines++
    if (this.buffer.length >= flushAtBytes) {
      this.flush()
    } else if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => { this.flush() })
    }
  }

  /** Writes what is buffered; a failure is counted as lost, never thrown. */
  flush (): void {
    this.scheduled = false
    if (this.lines === 0) return
    const text = this.buffer
    const lines = this.lines
    this.buffer = ''
    this.lines = 0
    try {
      if (this.fd !== undefined && this.moved(this.fd)) {
        closeSync(this.fd)
        this.fd = undefined
      }
      if (this.fd === undefined) {
        mkdirSync(dirname(this.path), { recursive: true })
        this.fd = openSync(this.path, 'a')
      }
      writeFully(this.fd, text)
      this.counts.onWritten(lines)
    } catch (error) {
      this.counts.onLost(lines, error)
    }
  }

  /**
   * True when the open file is no longer the one at `path`: `daslog replay`
   * took it (renamed it `<file>.replayed-<time>`) to send its records, so
   * what fails from then on starts a new file under the configured name
   * instead of joining the replayed one. One stat per write of the file.
   */
  private moved (fd: number): boolean {
    try {
      const open = fstatSync(fd)
      const named = statSync(this.path)
      return open.ino !== named.ino || open.dev !== named.dev
    } catch {
      return true
    }
  }

  close (): void {
    this.flush()
    if (this.fd === undefined) return
    try {
      fsyncSync(this.fd)
      closeSync(this.fd)
    } catch {}
    this.fd = undefined
  }
}

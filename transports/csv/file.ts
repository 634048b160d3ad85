import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs'
import { dirname, join, parse as parsePath } from 'node:path'
import { writeFully } from '../shared/write-fully.js'
import { DeliveryError } from '../shared/retry.js'

export interface RotateOptions {
  readonly size: number | undefined
  readonly daily: boolean
}

/** `2026-11-23`: the UTC day a time falls on, which names daily files. */
function dayOf (time: number): string {
  return new Date(time).toISOString().slice(0, 10)
}

/**
 * One CSV file and the files it rotates into. The active file is always
 * `path`; a rotated file is renamed beside it from the base name
 * (`audit.2026-11-23.csv` daily, `audit.2026-11-23T10-15-00-123Z.csv` by size,
 * `.1`, `.2`... if taken). The header starts every file; an existing file is
 * appended to when its header matches, and rotated away when it does not.
 */
export class CsvFile {
  private fd: number
  private size = 0
  private readonly headerBytes: number
  private day: string

  constructor (
    private readonly path: string,
    private readonly header: string,
    private readonly rotate: RotateOptions,
    private readonly fsync: boolean,
    private readonly now: () => number = Date.now
  ) {
    this.headerBytes = Buffer.byteLength(header)
    mkdirSync(dirname(path), { recursive: true })
    this.day = dayOf(now())
    this.fd = this.openExisting() ?? this.openNew()
  }

  /**
   * Appends rows (each CRLF-terminated), rotating between rows as the options
   * ask. A failure says how many rows reached the file first, so a retry
   * neither loses nor repeats a row.
   */
  write (rows: readonly string[]): void {
    let written = 0
    const flush = (chunk: readonly string[]): void => {
      if (chunk.length === 0) return
      this.size += writeFully(this.fd, chunk.join(''))
      written += chunk.length
    }
    try {
      if (this.rotate.daily && dayOf(this.now()) !== this.day) this.rotateNow(this.day)
      const limit = this.rotate.size
      if (limit === undefined) {
        // No size limit: the rows go out in one write, and the file's size is what was written.
        flush(rows)
      } else {
        let chunk: string[] = []
        let chunkBytes = 0
        for (const row of rows) {
          const bytes = Buffer.byteLength(row)
          if (this.size + chunkBytes + bytes > limit && this.size + chunkBytes > this.headerBytes) {
            flush(chunk)
            chunk = []
            chunkBytes = 0
            this.rotateNow(undefined)
          }
          chunk.push(row)
          chunkBytes += bytes
        }
        flush(chunk)
      }
      if (this.fsync) fsyncSync(this.fd)
    } catch (error) {
      throw new DeliveryError(`writing ${this.path} failed: ${(error as Error).message}`, { retryable: true, delivered: written, cause: error })
    }
  }

  close (): void {
    fsyncSync(this.fd)
    closeSync(this.fd)
  }

  /** Opens `path` for appending when it holds this header; rotates it away when it holds another. */
  private openExisting (): number | undefined {
    if (!existsSync(this.path) || statSync(this.path).size === 0) return undefined
    const fd = openSync(this.path, 'a+')
    const { size, mtimeMs } = fstatSync(fd)
    const start = Buffer.alloc(Math.min(size, this.headerBytes))
    readSync(fd, start, 0, start.length, 0)
    if (start.toString() !== this.header) {
      closeSync(fd)
      this.renameAway(dayOf(mtimeMs))
      return undefined
    }
    this.size = size
    this.day = dayOf(mtimeMs)
    const last = Buffer.alloc(1)
    readSync(fd, last, 0, 1, size - 1)
    // A row cut short by a crash: end it, so the rows after it stay whole.
    if (last[0] !== 0x0a) this.size += writeFully(fd, '\r\n')
    return fd
  }

  private openNew (): number {
    const fd = openSync(this.path, 'a')
    this.size = writeFully(fd, this.header)
    this.day = dayOf(this.now())
    return fd
  }

  /** Renames the active file away and starts a new one; the old descriptor stays usable until the new one is ready. */
  private rotateNow (day: string | undefined): void {
    fsyncSync(this.fd)
    this.renameAway(day)
    const old = this.fd
    this.fd = this.openNew()
    closeSync(old)
  }

  private renameAway (day: string | undefined): void {
    const { dir, name, ext } = parsePath(this.path)
    const stamp = day ?? new Date(this.now()).toISOString().replaceAll(':', '-').replace('.', '-')
    let target = join(dir, `${name}.${stamp}${ext}`)
    for (let n = 1; existsSync(target); n++) target = join(dir, `${name}.${stamp}.${n}${ext}`)
    renameSync(this.path, target)
  }
}

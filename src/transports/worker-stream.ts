import ThreadStream from 'thread-stream'
import { DeadLetterFile } from '../../transports/shared/dead-letter.js'
import { workerEntryFile } from './known-transports.js'

const pinoUsesMultistream = Symbol.for('pino.transport.usesMultistream')

/**
 * The shared buffer between the application thread and the worker. pino's
 * 4 MiB lets a worker that falls behind hold the application for as long as
 * it takes to work through 4 MiB of lines (over 100 ms here); 256 KiB keeps
 * each wait for room under 20 ms at the same throughput.
 */
export const workerBufferBytes = 256 * 1024

/**
 * Lines written within one turn of the event loop are handed to the shared
 * buffer together, in pieces of about this many characters: each hand-over
 * costs a Buffer, a copy and the atomic updates that wake the worker, which
 * per line was a fifth of the application thread's time in the file
 * scenario. What waits is written at the end of the turn (setImmediate), and
 * at once by flush, flushSync, end, and when the worker is found gone.
 */
export const handOverCharacters = 16 * 1024

/** What the application thread does with a record the worker can no longer take. */
export interface WorkerFallback {
  /** Dead-letter file for records written after the worker exited or ended. */
  readonly deadLetter: string
  /** Told once, when the first record goes to the dead-letter file instead of the worker. */
  onFirstFallback (error: string): void
  /** Told with every count of lines written to (or lost on the way to) the dead-letter file. */
  onCounts (deadLettered: number, dropped: number): void
}

/**
 * pino's transport worker (its `lib/worker.js`, run by worker-entry.ts; the same targets,
 * pipelines, levels and dedupe as `pino.transport()`), started by daslog so
 * it can (1) size the shared buffer, (2) own the exit sequence (see
 * lifecycle/process-hooks.ts) and (3) never lose a record the worker can no longer take:
 * once the worker has exited (a crash) or is ending, a write goes to a
 * dead-letter file in this thread instead of being refused.
 */
export class WorkerStream extends ThreadStream {
  // thread-stream has these; its type declarations do not say so.
  declare readonly closed: boolean
  declare readonly ready: boolean
  declare unref: () => void

  private fallback: DeadLetterFile | undefined
  private lastError = 'the transport worker exited'
  private endCalled = false
  private salvaged = false
  /** Lines written this turn, not handed to the shared buffer yet. */
  private waiting = ''
  private handOverScheduled = false
  private readonly handOverSoon = (): void => {
    this.handOverScheduled = false
    this.handOver()
  }

  constructor (workerData: Record<string, unknown>, usesMultistream: boolean, private readonly onFallback: WorkerFallback) {
    super({ filename: workerEntryFile(), workerData, workerOpts: { name: 'daslog.transport' }, sync: true, bufferSize: workerBufferBytes })
    if (usesMultistream) (this as unknown as Record<symbol, boolean>)[pinoUsesMultistream] = true
    // thread-stream reports a write after the worker is gone as an 'error' event; an unheard one would crash the application.
    this.on('error', (error: unknown) => {
      this.lastError = `the transport worker failed: ${String((error as Error | undefined)?.message ?? error)}`
      this.salvage()
    })
    // The worker does not keep the process alive; the exit sequence ends it.
    this.once('ready', () => { this.unref() })
  }

  /** Where records go once the worker cannot take them. */
  get deadLetterFile (): string {
    return this.onFallback.deadLetter
  }

  override write (data: string): boolean {
    if (this.endCalled || this.salvaged) {
      this.writeNow(data)
    } else {
      this.waiting += data
      if (this.waiting.length >= handOverCharacters) {
        this.handOver()
      } else if (!this.handOverScheduled) {
        this.handOverScheduled = true
        setImmediate(this.handOverSoon)
      }
    }
    return true
  }

  /** Hands the lines written so far to the shared buffer. */
  private handOver (): void {
    const data = this.waiting
    if (data === '') return
    this.waiting = ''
    this.writeNow(data)
  }

  private writeNow (data: string): void {
    if (super.write(data)) return
    this.salvage()
    this.deadLetter(data)
  }

  /**
   * Once the worker is gone: the lines it had not read yet (they sit in the
   * shared buffer, or wait for room in this thread) go to the dead-letter
   * file. The chunk it was working on when it died is among them, so a line
   * may be dead-lettered here and have reached its destination too.
   */
  private salvage (): void {
    if (this.salvaged || this.ending) return
    this.salvaged = true
    const unread = unreadLines(this) + this.waiting
    this.waiting = ''
    if (unread.length > 0) this.deadLetter(unread)
  }

  /** Writes what is buffered for the dead-letter file (at exit, the event loop will not do it). */
  flushFallback (): void {
    this.fallback?.flush()
  }

  /** Once the worker is gone, what was logged is in the dead-letter file: a flush writes it out and succeeds. */
  override flush (cb?: (error?: Error) => void): void {
    this.handOver()
    if (!this.salvaged) {
      super.flush(cb)
      return
    }
    this.flushFallback()
    if (cb !== undefined) process.nextTick(cb)
  }

  /** True once the logger ends the worker: records after that are dead-lettered as written after close, and an exit is no crash. */
  get ending (): boolean {
    return this.endCalled
  }

  override flushSync (): void {
    this.handOver()
    super.flushSync()
  }

  override end (): void {
    this.handOver()
    this.endCalled = true
    super.end()
  }

  private deadLetter (data: string): void {
    const reason = this.ending ? 'written after the logger was closed' : this.lastError
    if (this.fallback === undefined) {
      this.fallback = new DeadLetterFile(this.onFallback.deadLetter, { transport: 'worker', name: 'daslog.transport' }, {
        onWritten: (count) => { this.onFallback.onCounts(count, 0) },
        onLost: (count) => { this.onFallback.onCounts(0, count) }
      })
      this.onFallback.onFirstFallback(reason)
    }
    for (const line of data.split('\n')) {
      if (line.length > 0) this.fallback.add(line, reason, 0)
    }
  }
}

/** thread-stream's private state: the shared buffer, its read and write offsets, and the buffers waiting for room. */
interface ThreadStreamState {
  readonly state: Int32Array
  readonly data: Buffer
  readonly buf: Buffer[]
  readonly bufHead: number
}
const readIndex = 8
const writeIndex = 4

/** What the worker never read: the shared buffer from its read offset to the write offset, then what waits in this thread. */
function unreadLines (stream: ThreadStream): string {
  const key = Object.getOwnPropertySymbols(stream).find((symbol) => symbol.description === 'kImpl')
  const impl = key === undefined ? undefined : (stream as unknown as Record<symbol, ThreadStreamState | undefined>)[key]
  if (impl === undefined) return ''
  const read = Atomics.load(impl.state, readIndex)
  const write = Atomics.load(impl.state, writeIndex)
  let text = read >= 0 && write > read ? impl.data.toString('utf8', read, write) : ''
  for (let i = impl.bufHead; i < impl.buf.length; i++) text += impl.buf[i]!.toString('utf8')
  return text
}

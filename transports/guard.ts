import { createRequire } from 'node:module'
import { basename, dirname, extname } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { DeadLetterFile } from './shared/dead-letter.js'
import { withoutEventId } from './shared/event-id.js'
import { describeFailure } from './shared/retry.js'
import { currentChannel, type Channel, type TransportStats } from './shared/protocol.js'

/** What createLogger gives the guard: the target it stands in front of, as pino would have loaded it. */
export interface GuardOptions {
  /** The target module's file. */
  readonly target: string
  readonly options?: unknown
  /** How stats and dead letters name it: the target as configured. */
  readonly name: string
  readonly deadLetter: string
}

type StreamBuilder = (options: unknown) => Promise<NodeJS.WritableStream> | NodeJS.WritableStream
const loadBuilder = createRequire(createRequire(import.meta.url).resolve('pino'))('./lib/transport-stream.js') as (target: string) => Promise<StreamBuilder>

let guards = 0

/** This folder: a target loaded from it is one of daslog's own modules (the pretty console). */
const ownFolder = dirname(fileURLToPath(import.meta.url))

/** How stats, failures and dead letters name a target's kind: `pretty` for daslog's pretty console, `pino` for any other pino target. */
function kindOf (target: string): string {
  const file = target.startsWith('file:') ? fileURLToPath(target) : target
  return dirname(file) === ownFolder ? basename(file, extname(file)) : 'pino'
}

/**
 * Stands in front of a transport that is not daslog's (createLogger puts it
 * there), so one that throws on a record cannot take the worker, and every
 * daslog transport in it, down with it, nor lose what comes after in
 * silence. The first failure (a throw from its `write`, or an `error` it
 * emits) is reported to the application thread at once; from then on the
 * lines it would have been given go to the dead-letter file, counted.
 * What the failed transport had taken before is in its hands: the count of
 * lines given to it is reported (`delivered` in its stats).
 */
export default async function guardTransport (options: GuardOptions, channel: Channel = currentChannel()): Promise<Writable> {
  let inner: NodeJS.WritableStream | undefined
  let loadError: unknown
  try {
    const build = await loadBuilder(options.target)
    inner = await build(options.options)
  } catch (error) {
    // A target that cannot be loaded or built fails like one that throws later: reported, its records dead-lettered.
    loadError = error
  }
  const id = `guard#${++guards}`
  const transport = kindOf(options.target)
  const counts = { accepted: 0, delivered: 0, deadLettered: 0, dropped: 0 }
  const stats = (): TransportStats => ({ transport, name: options.name, ...counts, retried: 0, queued: 0 })
  let failure: string | undefined
  const deadLetter = new DeadLetterFile(options.deadLetter, { transport, name: options.name }, {
    onWritten: (count) => { counts.deadLettered += count; channel.post({ type: 'stats', id, stats: stats() }) },
    onLost: (count) => { counts.dropped += count }
  })
  const fail = (error: unknown): void => {
    if (failure !== undefined) return
    failure = `the transport failed (${describeFailure(error)})`
    channel.post({
      type: 'failure',
      id,
      failure: {
        transport,
        name: options.name,
        outcome: 'failed',
        count: counts.delivered,
        error: `${failure}; it had been given ${counts.delivered} record(s) before; the records for it from now on are dead-lettered`,
        attempts: 0,
        deadLetter: options.deadLetter
      }
    })
  }
  const bury = (chunk: string): void => {
    for (const line of chunk.split('\n')) {
      if (line.length === 0) continue
      counts.accepted++
      deadLetter.add(line, failure!, 0)
    }
  }
  channel.post({ type: 'started', id, stats: stats() })
  if (inner === undefined) fail(loadError)
  else inner.on('error', fail)
  // It holds nothing of its own: asked to close, it answers at once (the target itself is ended with the stream).
  const stopCloseRequests = channel.onCloseRequest(() => { channel.post({ type: 'closed', id, stats: stats() }) })

  const guard = new Writable({
    decodeStrings: false,
    write (chunk: string, _encoding, callback) {
      if (failure !== undefined || inner === undefined) {
        bury(chunk)
        callback()
        return
      }
      let ready: boolean
      try {
        ready = inner.write(withoutEventId(chunk))
      } catch (error) {
        fail(error)
        bury(chunk)
        callback()
        return
      }
      const lines = countLines(chunk)
      counts.accepted += lines
      counts.delivered += lines
      if (ready) callback()
      else waitFor(inner, ['drain', 'error', 'close'], () => { callback() })
    },
    final (callback) {
      stopCloseRequests()
      deadLetter.close()
      channel.post({ type: 'closed', id, stats: stats() })
      if (failure !== undefined || inner === undefined) {
        callback()
        return
      }
      // As pino's own worker does: a target is done at 'close' (a pino-abstract-transport stream's
      // 'finish' comes before its close callback has written what it held).
      waitFor(inner, ['close', 'error'], () => { callback() })
      inner.end()
    }
  })
  return guard
}

function countLines (chunk: string): number {
  let lines = 0
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++
  return lines
}

/** Calls `done` once, on the first of `events`. */
function waitFor (emitter: NodeJS.EventEmitter, events: readonly string[], done: () => void): void {
  const once = (): void => {
    for (const event of events) emitter.off(event, once)
    done()
  }
  for (const event of events) emitter.once(event, once)
}

import pino, { type DestinationStream } from 'pino'
import { createPrettifier } from './prettifier.js'
import type { PrettyOptions } from './pretty-options.js'

/** A destination that prettifies each line: pino's flush and flushSync reach the stream below. */
export interface PrettyStream extends DestinationStream {
  flush (callback?: (error?: Error) => void): void
  flushSync (): void
}

/**
 * The in-process pretty destination of `pretty` with no transport: each
 * JSON line pino writes becomes pino-pretty's text, written synchronously
 * (like pino's default stdout) to `pretty.destination`, or to `destination`
 * when createLogger was given a stream.
 */
export function prettyStream (options: PrettyOptions, destination?: DestinationStream): PrettyStream {
  const prettify = createPrettifier(options)
  const out: DestinationStream & Partial<PrettyStream> = destination ?? openDestination(options.destination, true)
  return {
    write (line: string) { out.write(prettify(line)) },
    flush (callback) {
      if (out.flush !== undefined) out.flush(callback)
      else callback?.()
    },
    flushSync () { out.flushSync?.() }
  }
}

/** pino.destination on stdout, stderr or a file (its folder created). */
export function openDestination (destination: 1 | 2 | string, sync: boolean): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: destination, mkdir: typeof destination === 'string', sync })
}

import pino, { type DestinationStream } from 'pino'
import { createPrettifier } from './prettifier.js'
import type { PrettyOptions } from './pretty-options.js'

/** A destination that prettifies each line: pino's flush, flushSync and end reach the stream below. */
export interface PrettyStream extends DestinationStream {
  flush (callback?: (error?: Error) => void): void
  flushSync (): void
  end (): void
}

/**
 * The in-process pretty destination of `pretty` with no transport: each
 * JSON line pino writes becomes pino-pretty's text, written synchronously
 * (like pino's default stdout) to `pretty.destination`, or to `destination`
 * when createLogger was given a stream.
 */
export function prettyStream (options: PrettyOptions, destination?: DestinationStream): PrettyStream {
  const prettify = createPrettifier(options)
  const out = destination ?? openDestination(options.destination, true)
  const call = (method: 'flush' | 'flushSync' | 'end', ...args: unknown[]): void => {
    const fn = (out as unknown as Record<string, unknown>)[method]
    if (typeof fn === 'function') fn.apply(out, args)
    else if (method === 'flush') (args[0] as (() => void) | undefined)?.()
  }
  return {
    write (line: string) { out.write(prettify(line)) },
    flush (callback) { call('flush', callback) },
    flushSync () { call('flushSync') },
    end () { call('end') }
  }
}

/** pino.destination on stdout, stderr or a file (its folder created). */
export function openDestination (destination: 1 | 2 | string, sync: boolean): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: destination, mkdir: typeof destination === 'string', sync })
}

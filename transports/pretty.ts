import { once } from 'node:events'
import build from 'pino-abstract-transport'
import { createPrettifier } from '../src/pretty/prettifier.js'
import { openDestination } from '../src/pretty/pretty-stream.js'
import { prettyOptions, type PrettyOptionsInput } from '../src/pretty/pretty-options.js'

/**
 * The pretty console transport, loaded by pino as `daslog/transports/pretty`
 * (createLogger adds it to the worker when `pretty` is set beside a
 * `transport`): each record as pino-pretty's text, the event name in bold,
 * control and bidi characters removed. Options: those of `pretty`
 * (`{ colorize, singleLine, translateTime, ignore, destination }`).
 */
export default async function prettyTransport (options: PrettyOptionsInput = {}): Promise<NodeJS.WritableStream> {
  const settings = prettyOptions(options)!
  const prettify = createPrettifier(settings)
  const out = openDestination(settings.destination, false)
  return build(async (source: AsyncIterable<string>) => {
    for await (const line of source) {
      if (!out.write(prettify(line))) await once(out, 'drain')
    }
  }, {
    parse: 'lines',
    close: async () => {
      // 'close' once the text is written; 'error' if writing failed, which must not hold the worker's close.
      const closed = new Promise<void>((resolve) => { out.once('close', resolve).once('error', () => { resolve() }) })
      out.end()
      await closed
    }
  })
}

import build from 'pino-abstract-transport'
import { parseTransportOptions } from './common-options.js'
import { currentChannel, type Channel } from './protocol.js'
import { TransportRuntime } from './close-protocol.js'
import { takeLines } from './line-source.js'
import { transportControl, type DaslogTransportStream, type TransportSpec } from './transport-types.js'

export { transportControl }
export type { LogRecord, Destination, DeliveryNote, ConnectionReport, TransportSpec, TransportControl, DaslogTransportStream } from './transport-types.js'

/**
 * Builds a daslog transport: a pino-abstract-transport stream that takes
 * lines as fast as they come (so pino's worker reads its shared buffer at
 * once and the application thread never waits long for room), keeps the ones
 * its `events` accept in a bounded queue, delivers them in batches with
 * retries, and dead-letters what fails or overflows, counting everything.
 * Lines are parsed when delivered (or when `events` must look at them; a
 * destination may read them itself, Destination.readLine), so an overflowing
 * queue costs no parsing: the line goes to the dead-letter file as it is.
 * Each line reaches the runtime straight from the stream's write side (see takeLines).
 */
export async function createTransport<O> (spec: TransportSpec<O>, rawOptions: unknown, channel: Channel = currentChannel()): Promise<DaslogTransportStream> {
  const { common, own } = parseTransportOptions(spec, rawOptions)
  const destination = await spec.open(own, common)
  const runtime = new TransportRuntime(spec.kind, common, destination, channel)
  const stream = build((source) => {
    takeLines(source, (line) => { runtime.accept(line) })
  }, {
    parse: 'lines',
    metadata: false,
    close: async () => { await runtime.close() }
  }) as DaslogTransportStream
  Object.defineProperty(stream, transportControl, { value: runtime.control })
  return stream
}

import { createRequire } from 'node:module'
import { describeFailure } from '../../transports/shared/retry.js'
import { currentChannel } from '../../transports/shared/protocol.js'
import { withEventId } from '../../transports/shared/event-id.js'

/**
 * The module daslog's transport worker runs: pino's own worker module (it
 * loads the targets and joins them in a multistream), with one change.
 * thread-stream ends the whole thread at the first uncaught exception, so
 * one transport that throws from a timer would take every transport in the
 * worker down with what they hold. Here such an exception is reported to the
 * application thread (`onDeliveryFailure`, or a DASLOG_TRANSPORT_FAILED
 * warning) and the worker keeps delivering.
 */
const require = createRequire(import.meta.url)
const pinoRequire = createRequire(require.resolve('pino'))
const pinoWorker = pinoRequire('./lib/worker.js') as (options: unknown) => Promise<unknown>

const channel = currentChannel()
let failures = 0
function reportUncaught (error: unknown): void {
  failures++
  channel.post({
    type: 'failure',
    id: 'worker',
    failure: {
      transport: 'worker',
      name: 'daslog.transport',
      outcome: 'failed',
      count: failures,
      error: `a transport in the worker threw where nothing could catch it (${describeFailure(error)}); the worker keeps delivering`,
      attempts: 0,
      deadLetter: '(none)'
    }
  })
}
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.removeAllListeners(event)
  process.on(event, reportUncaught)
}

/**
 * With `eventIds` (createLogger sets it when two or more daslog transports
 * share the worker), every line gets its event id once, before
 * pino's multistream hands it to each target, so every daslog transport of
 * the worker stores, sends and dead-letters the record under the same id.
 * pino's worker looks `pino.multistream` up when it starts; the other
 * targets sit behind daslog's guard, which takes the id off again.
 */
export default function daslogWorker (options: Record<string, unknown>): Promise<unknown> {
  if (options.eventIds === true) {
    const pino = pinoRequire('./pino.js') as { multistream: (...args: unknown[]) => { write: (data: string) => unknown } }
    const multistream = pino.multistream
    pino.multistream = (...args) => {
      const multi = multistream(...args)
      const write = multi.write
      multi.write = function (this: unknown, data: string) { return write.call(this, withEventId(data)) }
      return multi
    }
  }
  return pinoWorker(options)
}

import { createRequire } from 'node:module'
import { describeFailure } from '../../transports/shared/retry.js'
import { currentChannel } from '../../transports/shared/protocol.js'

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
const pinoWorker = require(createRequire(require.resolve('pino')).resolve('./lib/worker.js')) as (options: unknown) => Promise<unknown>

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

export default pinoWorker

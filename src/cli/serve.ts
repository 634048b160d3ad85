import { parseArgs } from 'node:util'
import { serveEnvironment, serveOptions } from '../serve/options.js'
import { amqpSource } from '../serve/amqp-source.js'
import { startCollector } from '../serve/server.js'

export const serveUsage = `  daslog serve [--port 8080] [--host 127.0.0.1] [--db <postgres://...> | --data ./daslog-data] [--table <name>]
               [--token <t>]... [--basic <user:password>] [--signing-secret <whsec_...>]...
               [--amqp <amqp://...> --queue <name> [--prefetch 100]] [--chain [--chain-key <key>]]
      The audit collector: POST /events stores records (one, an array, or the EventLogger
      shape { event_type, user_identity, event_data }); GET /events and /events/query find them;
      /healthz and /metrics. --chain hash-chains every record it stores (from HTTP and AMQP alike)
      and answers GET /chain/verify (daslog verify --server). Every flag also from the environment: ${Object.values(serveEnvironment).join(', ')}.
      With no auth configured it listens on loopback only. SIGTERM/SIGINT stop it gracefully.`


/** `daslog serve`: runs until SIGTERM or SIGINT, then stops gracefully; resolves with the exit code. */
export async function serveCommand (args: readonly string[], _out: (line: string) => void, err: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      db: { type: 'string' },
      data: { type: 'string' },
      table: { type: 'string' },
      token: { type: 'string', multiple: true },
      basic: { type: 'string' },
      'signing-secret': { type: 'string', multiple: true },
      amqp: { type: 'string' },
      queue: { type: 'string' },
      prefetch: { type: 'string' },
      chain: { type: 'boolean' },
      'chain-key': { type: 'string' }
    }
  })
  const options = serveOptions(values, env)
  const collector = await startCollector(options, { sources: options.amqp === undefined ? [] : [amqpSource] })
  const where = options.db === undefined ? `the embedded store in ${options.data}` : 'PostgreSQL'
  err(`daslog: collector listening on ${collector.url}, opening ${where}${options.chain === undefined ? '' : `, chaining records into chain "${options.chain.key}"`}`)
  collector.ready.then(() => { err('daslog: the store is ready') }, () => {})
  const signal = await new Promise<string>((resolve) => {
    const stop = (name: string): void => { process.off('SIGTERM', stop); process.off('SIGINT', stop); resolve(name) }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
  err(`daslog: ${signal}: finishing requests in flight, then closing the store`)
  await collector.close()
  err('daslog: collector stopped')
  return 0
}

// One factory per library, each writing newline-delimited JSON to its own
// synchronous sonic-boom on /dev/null (pino's sync destination), so every
// contender pays for the same write.
import { Writable } from 'node:stream'
import { configureSync, getLogger, jsonLinesFormatter } from '@logtape/logtape'
import bunyan from 'bunyan'
import pino from 'pino'
import winston from 'winston'
import { createLogger } from 'daslog'

export const sink = () => pino.destination({ dest: '/dev/null', sync: true })

/** pino's `base` with fixed values, so every contender writes the same bytes of boilerplate. */
const base = { pid: 1, hostname: 'bench' }

export function rawPino (options = {}) {
  return pino({ base, ...options }, sink())
}

export function daslog (options = {}) {
  return createLogger({ config: false, base, ...options }, sink())
}

export function winstonLogger () {
  return winston.createLogger({
    level: 'info',
    defaultMeta: base,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    // winston writes to node streams only: a Writable that hands each line to the same sync sink.
    transports: [new winston.transports.Stream({ stream: writableSink() })]
  })
}

function writableSink () {
  const out = sink()
  return new Writable({ decodeStrings: false, write (chunk, _encoding, callback) { out.write(chunk); callback() } })
}

export function bunyanLogger () {
  const logger = bunyan.createLogger({ name: 'bench', streams: [{ level: 'info', stream: sink() }] })
  logger.fields.pid = base.pid
  logger.fields.hostname = base.hostname
  return logger
}

let logtapeConfigured = false
/** LogTape is configured once per process (its configuration is global). */
export function logtapeLogger () {
  if (!logtapeConfigured) {
    const out = sink()
    configureSync({
      sinks: { ndjson: (record) => { out.write(jsonLinesFormatter(record)) } },
      loggers: [
        { category: ['bench'], lowestLevel: 'info', sinks: ['ndjson'] },
        { category: ['logtape', 'meta'], lowestLevel: 'error', sinks: [] }
      ]
    })
    logtapeConfigured = true
  }
  return getLogger(['bench'])
}

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError, createLogger, Events, type EventRecord, type LoggerOptions } from '../../src/index.js'
import { createTestLogger, type TestLogger } from '../../src/testing.js'
import { tempDir } from '../helpers.js'

/** A test logger reading `config` from a pino.config.json in a fresh folder, with `code` options over it. */
function fromConfigFile (config: unknown, code: LoggerOptions = {}): TestLogger & { file: string } {
  const file = join(tempDir('processors-config'), 'pino.config.json')
  writeFileSync(file, JSON.stringify(config))
  return { file, ...createTestLogger({ config: file, ...code }) }
}

t.test('sampling, masking and batching given as data in pino.config.json', async (t) => {
  const { logger, records } = fromConfigFile({
    sampling: { events: { cache_lookup_hit: 0 } },
    masking: { paths: ['card'], patterns: ['email'] },
    batching: { events: ['item_*'], size: 2 }
  })
  logger.info(Events.CACHE_LOOKUP_HIT, { key: 'dropped' })
  logger.info(Events.PAYMENT_CHARGE_STARTED, { card: '4111111111111111', email: 'pat@example.com' } as never)
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'a', owner: 'kim@example.com' } as never)
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'b' } as never)
  t.match(records, [
    { event: 'payment_charge_started', card: '[REDACTED]', email: 'p***@example.com' },
    { event: 'events_batch', event_count: 2, events: [{ item_id: 'a', owner: 'k***@example.com' }, { item_id: 'b' }] }
  ])
  t.equal(records.length, 2)
})

t.test('the chain order: sampling, masking, batching, then the processors given in code', async (t) => {
  const seen: unknown[] = []
  const { logger, records } = fromConfigFile({ masking: { keys: ['secret'] }, sampling: { rate: 1 } }, {
    processors: [(record: EventRecord) => { seen.push({ ...record }); return record }]
  })
  logger.info(Events.API_CALL_STARTED, { secret: 's' } as never)
  t.match(seen, [{ secret: '[REDACTED]' }], 'a code processor sees the masked record')
  t.equal(records.length, 1)
})

t.test('data given in code overrides the file, key by key', async (t) => {
  const { logger, records } = fromConfigFile({ masking: { keys: ['a'] }, sampling: { rate: 0 } }, { masking: { keys: ['b'] } })
  logger.warn(Events.API_CALL_FAILED, { a: 1, b: 2 } as never)
  t.match(records, [{ a: 1, b: '[REDACTED]' }], 'masking from code; sampling (warn is kept) from the file')
})

t.test('a bad processor option in the file names the file and the option', async (t) => {
  const file = join(tempDir('processors-config'), 'pino.config.json')
  writeFileSync(file, JSON.stringify({ sampling: { rate: 1.5 } }))
  t.throws(() => createLogger({ config: file }), new ConfigError('sampling.rate', 'expected a rate from 0 to 1, got 1.5', file))
  writeFileSync(file, JSON.stringify({ masking: { patterns: ['emial'] } }))
  t.throws(() => createLogger({ config: file }), { name: 'ConfigError', option: 'masking.patterns[0]', file, message: /in .*pino\.config\.json: unknown pattern "emial"/ })
  writeFileSync(file, JSON.stringify({ batching: 'item_*' }))
  t.throws(() => createLogger({ config: file }), { name: 'ConfigError', option: 'batching', file })
  t.throws(() => createLogger({ config: false, masking: { keys: ['a'], mode: 'hash' } }), { name: 'ConfigError', option: 'masking.secret', message: /^Invalid option "masking.secret": required/ })
})

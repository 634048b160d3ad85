import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { batching, type BatchingOptions, Events } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { base, readLines, tempDir, withoutTime } from '../helpers.js'

const batched = (options: BatchingOptions) => createTestLogger({ processors: [batching(options)] })
const withoutTimes = (items: unknown): unknown => (items as Array<Record<string, unknown>>).map(({ time, ...rest }) => {
  if (typeof time !== 'number') throw new Error('an item has no time')
  return rest
})

t.test('records of matching events are held and written as one events_batch record when the size is reached', async (t) => {
  const { logger, records } = batched({ events: ['item_*'], size: 3 })
  logger.bind('c-1').info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'a' } as never)
  logger.info(Events.CACHE_LOOKUP_MISS, { key: 'k' })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'b' } as never)
  t.strictSame(records.map((r) => r.event), ['cache_lookup_miss'], 'others pass straight through')
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'c' } as never)
  const batch = withoutTime(records[1])
  t.strictSame(withoutTimes(batch.events), [
    { event: 'item_process_success', correlation_id: 'c-1', item_id: 'a' },
    { event: 'item_process_success', item_id: 'b' },
    { event: 'item_process_success', item_id: 'c' }
  ], 'each item keeps its bound context')
  delete batch.events
  t.strictSame(batch, { level: 30, ...base, event: 'events_batch', batched_event: 'item_process_success', event_count: 3 })
})

t.test('one batch per event name, written at the highest level it holds', async (t) => {
  const { logger, records } = batched({ events: ['item_*'], size: 2 })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'a' } as never)
  logger.warn(Events.ITEM_PROCESS_FAILED, { item_id: 'b' } as never)
  logger.error(Events.ITEM_PROCESS_FAILED, { item_id: 'c' } as never)
  t.match(records, [{ event: 'events_batch', batched_event: 'item_process_failed', event_count: 2, level: 50 }])
  await logger.flush()
  t.match(records[1], { event: 'events_batch', batched_event: 'item_process_success', event_count: 1, level: 30 })
})

t.test('a batch is written intervalMs after its first record was held', async (t) => {
  const { logger, records } = batched({ events: ['item_process_success'], intervalMs: 40 })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'a' } as never)
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'b' } as never)
  t.equal(records.length, 0)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.match(records, [{ event: 'events_batch', event_count: 2 }])
})

t.test('flush() and close() write what is held; after close records pass through', async (t) => {
  const { logger, records } = batched({ events: ['item_*'] })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'a' } as never)
  await logger.flush()
  t.match(records, [{ event: 'events_batch', event_count: 1 }])
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'b' } as never)
  await logger.close()
  t.match(records[1], { event: 'events_batch', event_count: 1, events: [{ item_id: 'b' }] })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'late' } as never)
  t.match(records[2], { event: 'item_process_success', item_id: 'late' })
})

t.test('processors after batching see the batch; masking before it has masked each item', async (t) => {
  const seen: string[] = []
  const { logger, records } = createTestLogger({
    masking: { keys: ['token'] },
    batching: { events: ['item_*'], size: 2 },
    processors: [(record) => { seen.push(record.event); return record }]
  })
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'a', token: 't' } as never)
  logger.info(Events.ITEM_PROCESS_SUCCESS, { item_id: 'b' } as never)
  t.strictSame(seen, ['events_batch'])
  t.match(records[0], { events: [{ item_id: 'a', token: '[REDACTED]' }, { item_id: 'b' }] })
})

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'batching-exit.ts')
for (const ending of ['natural', 'exit', 'throw']) {
  t.test(`held records are written at process exit (${ending})`, async (t) => {
    const file = join(tempDir('batch-exit'), 'out.log')
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, file, ending], { encoding: 'utf8', timeout: 30_000 })
    t.equal(child.status, ending === 'throw' ? 1 : 0, child.stderr)
    const lines = readLines(file)
    const batch = { event: 'events_batch', batched_event: 'item_process_success', event_count: 3 }
    // An uncaught exception is written first, as a fatal record; the batch follows at exit.
    if (ending === 'throw') t.match(lines, [{ event: 'process_exception_detected', level: 60, err: { message: 'crash' }, origin: 'uncaughtException' }, batch])
    else t.match(lines, [batch])
    t.equal(lines.length, ending === 'throw' ? 2 : 1)
  })
}

t.test('bad options throw a ConfigError naming the option; a batching() belongs to one logger', async (t) => {
  const bad: Array<[unknown, string]> = [
    [{}, 'batching.events'],
    [{ events: [] as string[] }, 'batching.events'],
    [{ events: 'x', size: 0 }, 'batching.size'],
    [{ events: ['a b'] }, 'batching.events[0]'],
    [{ events: 'x', size: 20_000 }, 'batching.size'],
    [{ events: 'x', intervalMs: -1 }, 'batching.intervalMs'],
    [{ events: 'x', every: 1 }, 'batching.every']
  ]
  for (const [options, option] of bad) {
    t.throws(() => batching(options as BatchingOptions), { name: 'ConfigError', option }, `${JSON.stringify(options)} → ${option}`)
  }
  const shared = batching({ events: 'x' })
  createTestLogger({ processors: [shared] })
  t.throws(() => createTestLogger({ processors: [shared] }), /belongs to one logger/)
})

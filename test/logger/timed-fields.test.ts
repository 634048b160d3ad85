import t from 'tap'
import { Events } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'
import { base, withoutTime } from '../helpers.js'

/** The record without `time` and `duration_ms` (checked to be a number first). */
function settled (record: Record<string, unknown> | undefined): Record<string, unknown> {
  const { duration_ms: duration, ...rest } = withoutTime(record)
  if (typeof duration !== 'number') throw new Error(`no duration_ms in ${JSON.stringify(record)}`)
  return rest
}

t.test('timed: fields added by the operation, after an await, reach its _completed event only', async (t) => {
  const { logger, records } = createTestLogger()
  const rows = await logger.timed('database_query', { table: 'users', operation: 'SELECT' }, async (add) => {
    await new Promise((resolve) => setTimeout(resolve, 5))
    const result = ['u1', 'u2', 'u3']
    add({ rows_returned: result.length })
    add({ cache: 'miss' })
    return result
  })
  t.strictSame(rows, ['u1', 'u2', 'u3'])
  t.strictSame(withoutTime(records[0]), { level: 30, ...base, table: 'users', operation: 'SELECT', event: 'database_query_started' })
  t.strictSame(settled(records[1]), { level: 30, ...base, table: 'users', operation: 'SELECT', rows_returned: 3, cache: 'miss', event: 'database_query_completed' })
})

t.test('timed: sync operations add fields too, and _success events get them', async (t) => {
  const { logger, records } = createTestLogger()
  const total = logger.timed('payment_process', { order_id: 'o1', amount: 9.5, currency: 'EUR' }, (add) => {
    add({ transaction_id: 'txn_456' })
    return 9.5
  })
  t.equal(total, 9.5)
  t.strictSame(settled(records[1]), { level: 30, ...base, order_id: 'o1', amount: 9.5, currency: 'EUR', transaction_id: 'txn_456', event: 'payment_process_success' })
})

t.test('timed: what was added before a failure goes to _failed with err; duration_ms is always the measured one', async (t) => {
  const { logger, records } = createTestLogger()
  const boom = new Error('connection reset')
  await t.rejects(logger.timed('api_call', { endpoint: '/users' }, async (add) => {
    add({ attempt: 2, duration_ms: -1 })
    await Promise.resolve()
    throw boom
  }), boom)
  const failed = records[1]!
  t.equal(failed.event, 'api_call_failed')
  t.equal(failed.level, 50)
  t.equal(failed.attempt, 2)
  t.ok((failed.duration_ms as number) >= 0, 'the measured duration, not the added one')
  t.equal((failed.err as { message: string }).message, 'connection reset')
})

t.test('timed: add() after the operation closed changes nothing (no late record, no change to the written one)', async (t) => {
  const { logger, records } = createTestLogger()
  let later: ((fields: Record<string, unknown>) => void) | undefined
  logger.timed('database_query', { table: 't' }, (add) => { later = add })
  later!({ rows_returned: 99 })
  logger.info(Events.CACHE_LOOKUP_MISS, { key: 'k' })
  t.equal(records.length, 3)
  t.equal(records[1]!.rows_returned, undefined)
})

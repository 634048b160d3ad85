import t from 'tap'
import { currentContext, Events, withContext } from '../../src/index.js'
import { createTestLogger } from '../../src/testing.js'

t.test('currentContext() gives the fields of the current unit of work, across awaits, and undefined outside', async (t) => {
  const { logger, records } = createTestLogger()
  t.equal(currentContext(), undefined, 'outside any withContext')
  const seen: unknown[] = []
  await withContext({ request_id: 'req_123' }, async () => {
    seen.push(currentContext())
    await new Promise((resolve) => setTimeout(resolve, 5))
    seen.push(currentContext())
    await logger.withContext({ step: 'charge', request_id: 'req_124' }, async () => {
      await Promise.resolve()
      seen.push(currentContext())
      // The guide's current_request_id(): read back what the records carry.
      logger.info(Events.PAYMENT_CHARGE_STARTED, { order_id: 'o1', request_id: currentContext()?.request_id })
    })
    seen.push(currentContext())
  })
  setImmediate(() => { seen.push(currentContext()) })
  await new Promise((resolve) => setImmediate(resolve))
  t.strictSame(seen, [
    { request_id: 'req_123' },
    { request_id: 'req_123' },
    { request_id: 'req_124', step: 'charge' },
    { request_id: 'req_123' },
    undefined
  ])
  t.equal(records[0]!.request_id, 'req_124')
  t.equal(currentContext(), undefined)
})

t.test('concurrent units of work each read their own context', async (t) => {
  const read = async (id: string): Promise<unknown> => withContext({ request_id: id }, async () => {
    await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 10 : 1))
    return currentContext()?.request_id
  })
  t.strictSame(await Promise.all([read('a'), read('b')]), ['a', 'b'])
})

t.test('the context read back is read-only: frozen, and changing it is refused, not applied', async (t) => {
  const { logger, records } = createTestLogger()
  const given = { tenant: 'acme' }
  withContext(given, () => {
    const context = currentContext()!
    t.ok(Object.isFrozen(context))
    t.throws(() => { (context as Record<string, unknown>).tenant = 'globex' }, TypeError)
    given.tenant = 'changed after the call'
    logger.info(Events.CACHE_LOOKUP_MISS, { key: 'k' })
    t.equal(currentContext()!.tenant, 'acme', 'withContext copied the fields it was given')
  })
  t.equal(records[0]!.tenant, 'acme')
})

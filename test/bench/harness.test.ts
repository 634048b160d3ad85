// The benchmark harness's own logic (no timing is asserted: figures come from `npm run bench` only).
import t from 'tap'
// @ts-expect-error plain JavaScript module without types
import { median, measureScenario } from '../../bench/measure.js'
// @ts-expect-error plain JavaScript module without types
import { scenarioBudgets, transportBudgets } from '../../bench/budgets.js'

t.test('median of odd and even samples', async (t) => {
  t.equal(median([5, 1, 3]), 3)
  t.equal(median([4, 1, 3, 2]), 2.5)
})

t.test('measureScenario runs every available contender and reports the unavailable ones', async (t) => {
  let calls = 0
  const results = await measureScenario({
    pino: () => () => { calls++ },
    daslog: () => ({ unavailable: 'not built yet' })
  }, { ops: 10, rounds: 3 })
  t.equal(calls, 1000 + 3 * 10, 'a warm-up batch, then one batch per round')
  t.equal(results.pino.samples.length, 3)
  t.type(results.pino.nsPerOp, 'number')
  t.strictSame(results.daslog, { unavailable: 'not built yet' })
})

t.test('budgets are judged from the ratio to pino, or reported n/a with the reason', async (t) => {
  const scenario = { budgets: [{ name: 'hot path', max: 1.05 }] }
  t.strictSame(scenarioBudgets(scenario, { pino: { nsPerOp: 100 }, daslog: { nsPerOp: 104 } }), [{ budget: 'hot path', max: 1.05, ratio: 1.04, status: 'met' }])
  t.equal(scenarioBudgets(scenario, { pino: { nsPerOp: 100 }, daslog: { nsPerOp: 110 } })[0].status, 'NOT MET')
  t.strictSame(scenarioBudgets(scenario, { pino: { nsPerOp: 100 }, daslog: { unavailable: 'issue 4' } }), [{ budget: 'hot path', max: 1.05, status: 'n/a', reason: 'issue 4' }])
})

t.test('transport budgets: records/s against pino, memory per burst, stalls, losses', async (t) => {
  const lines = transportBudgets([
    { contender: 'pino', destination: 'file', recordsPerSecond: 100 },
    { contender: 'daslog', destination: 'file', recordsPerSecond: 90 },
    { contender: 'daslog', destination: 'slow', burstGrowthMiB: [300, 20], maxStallMs: 80, lost: 3 }
  ])
  t.same(lines.map((l: { status: string }) => l.status), ['NOT MET', 'NOT MET', 'met', 'NOT MET', 'NOT MET'])
})

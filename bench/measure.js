// Timing: each contender runs `ops` calls per sample; contenders alternate
// within every round so machine noise hits them alike; the median of the
// rounds is the figure, the spread is (max - min) / median.
import { hrtime } from 'node:process'
import { setImmediate as yieldToLoop } from 'node:timers/promises'

/** ns per op for one batch of `ops` calls of `fn` (fn receives the index). */
function sample (fn, ops) {
  const start = hrtime.bigint()
  for (let i = 0; i < ops; i++) fn(i)
  return Number(hrtime.bigint() - start) / ops
}

export function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * The run of a process-per-run contender (bench/postgres.js's JSON lines)
 * with the median records/s of `runs` (the lower middle of an even count),
 * every round's records/s beside it (`rounds`) and the records lost in all
 * of them; the first unavailable run instead, when one was.
 */
export function medianRun (runs) {
  const unavailable = runs.find((run) => run.unavailable !== undefined)
  if (unavailable !== undefined) return unavailable
  const sorted = [...runs].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond)
  const middle = sorted[(sorted.length - 1) >> 1]
  return { ...middle, rounds: runs.map((run) => run.recordsPerSecond), lost: runs.reduce((sum, run) => sum + run.lost, 0) }
}

/**
 * Measures every contender of a scenario: a warm-up batch each, then
 * `rounds` rounds, the order of the contenders rotated every round. A
 * factory that returns `{ unavailable: reason }` instead of a function is
 * reported as such.
 */
export async function measureScenario (contenders, { ops, rounds }) {
  const results = {}
  const names = []
  const fns = []
  for (const [name, factory] of Object.entries(contenders)) {
    const fn = factory()
    if (typeof fn === 'function') {
      names.push(name)
      fns.push(fn)
    } else {
      results[name] = { unavailable: fn.unavailable }
    }
  }
  // Between batches the event loop turns, so stream-based loggers (winston)
  // drain what they queued instead of piling it up across the whole run.
  for (const fn of fns) {
    sample(fn, Math.max(1000, ops >> 1))
    await yieldToLoop()
  }
  const samples = names.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const i = (k + round) % names.length
      samples[i].push(sample(fns[i], ops))
      await yieldToLoop()
    }
  }
  names.forEach((name, i) => {
    const nsPerOp = median(samples[i])
    results[name] = {
      nsPerOp,
      spread: (Math.max(...samples[i]) - Math.min(...samples[i])) / nsPerOp,
      samples: samples[i]
    }
  })
  return results
}

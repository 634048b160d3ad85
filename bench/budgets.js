// DESIGN.md's budgets, each judged from the measured results: met, NOT MET,
// or n/a with the reason when daslog cannot do that work yet.

/** Budget lines of the in-process scenarios: daslog's ns/op over raw pino's (or over the contender a budget names in `versus`). */
export function scenarioBudgets (scenario, measured) {
  return (scenario.budgets ?? []).map((budget) => {
    const daslog = measured.daslog
    if (daslog.unavailable !== undefined) return { budget: budget.name, max: budget.max, status: 'n/a', reason: daslog.unavailable }
    const ratio = daslog.nsPerOp / measured[budget.versus ?? 'pino'].nsPerOp
    return { budget: budget.name, max: budget.max, ratio, status: ratio <= budget.max ? 'met' : 'NOT MET' }
  })
}

/** Budget lines of the transport scenarios. */
export function transportBudgets (runs) {
  const find = (contender, destination) => runs.find((r) => r.contender === contender && r.destination === destination)
  const lines = []
  const file = { daslog: find('daslog', 'file'), pino: find('pino', 'file') }
  if (file.daslog && file.pino) {
    const ratio = file.daslog.recordsPerSecond / file.pino.recordsPerSecond
    lines.push({ budget: 'transport records/s vs raw pino.transport (file)', min: 1, ratio, status: ratio >= 1 ? 'met' : 'NOT MET' })
  }
  const slow = find('daslog', 'slow')
  if (slow) {
    const [first = 0, second = 0] = slow.burstGrowthMiB
    lines.push({ budget: 'slow destination: 1st burst growth < 256 MiB', value: `${first.toFixed(0)} MiB`, status: first < 256 ? 'met' : 'NOT MET' })
    lines.push({ budget: 'slow destination: 2nd burst growth < 32 MiB', value: `${second.toFixed(0)} MiB`, status: second < 32 ? 'met' : 'NOT MET' })
    lines.push({ budget: 'slow destination: no stall over 50 ms', value: `${slow.maxStallMs.toFixed(1)} ms`, status: slow.maxStallMs <= 50 ? 'met' : 'NOT MET' })
    lines.push({ budget: 'slow destination: nothing lost silently', value: `${slow.lost} lost`, status: slow.lost === 0 ? 'met' : 'NOT MET' })
  }
  return lines
}

/** The postgres transport against the plain pg insert loop (issue 20: at least as fast). */
export function postgresBudgets (runs) {
  const daslog = runs.find((r) => r.contender === 'daslog' && r.destination === 'postgres')
  const pg = runs.find((r) => r.contender === 'pg' && r.destination === 'postgres')
  if (daslog === undefined || pg === undefined) return []
  const budget = 'postgres transport records/s vs a plain pg insert loop'
  const reason = daslog.unavailable ?? pg.unavailable
  if (reason !== undefined) return [{ budget, min: 1, status: 'n/a', reason }]
  const ratio = daslog.recordsPerSecond / pg.recordsPerSecond
  return [{ budget, min: 1, ratio, status: ratio >= 1 && daslog.lost === 0 ? 'met' : 'NOT MET' }]
}

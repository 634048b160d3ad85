// npm run bench [-- --quick] [-- --json <file>] [-- --only <text>]
// Every scenario in one process: ns/op per contender, the ratio to raw pino
// doing the same work, and each DESIGN.md budget reported as met or not met.
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { measureScenario } from './measure.js'
import { scenarios } from './scenarios.js'

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, json: { type: 'string' }, only: { type: 'string' } }
})
const settings = values.quick ? { ops: 20_000, rounds: 5 } : { ops: 100_000, rounds: 9 }

const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`daslog benchmark — ${machine}`)
console.log(`${settings.rounds} rounds of ${settings.ops} ops per contender, alternated; median ns/op, spread = (max - min) / median\n`)

const results = []
for (const scenario of scenarios) {
  if (values.only !== undefined && !scenario.name.includes(values.only)) continue
  const ops = scenario.ops === 'fast' ? settings.ops * 20 : settings.ops
  const measured = measureScenario(scenario.contenders, { ops, rounds: settings.rounds })
  const baseline = measured.pino.nsPerOp
  for (const [contender, m] of Object.entries(measured)) {
    results.push({ scenario: scenario.name, contender, nsPerOp: m.nsPerOp, spread: m.spread, ratio: m.nsPerOp / baseline })
  }
  if (scenario.budget !== undefined) {
    const ratio = measured.daslog.nsPerOp / measured[scenario.budget.against].nsPerOp
    results.push({ scenario: scenario.name, budget: scenario.budget.name, max: scenario.budget.max, ratio, met: ratio <= scenario.budget.max })
  }
}

const pad = (text, width) => String(text).padEnd(width)
const padStart = (text, width) => String(text).padStart(width)
console.log(`${pad('scenario', 36)}${pad('contender', 10)}${padStart('ns/op', 10)}${padStart('spread', 9)}${padStart('vs pino', 9)}`)
for (const r of results.filter((r) => r.contender !== undefined)) {
  console.log(`${pad(r.scenario, 36)}${pad(r.contender, 10)}${padStart(r.nsPerOp.toFixed(1), 10)}${padStart(`${(r.spread * 100).toFixed(0)}%`, 9)}${padStart(`${r.ratio.toFixed(2)}x`, 9)}`)
}
console.log('\nBudgets (DESIGN.md)')
for (const r of results.filter((r) => r.budget !== undefined)) {
  console.log(`  ${r.met ? 'met    ' : 'NOT MET'}  ${pad(r.budget, 40)} ${r.ratio.toFixed(3)}x (at most ${r.max}x)`)
}

if (values.json !== undefined) {
  writeFileSync(values.json, JSON.stringify({ machine, settings, date: new Date().toISOString(), results }, null, 2) + '\n')
  console.log(`\nwrote ${values.json}`)
}

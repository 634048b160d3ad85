// npm run bench [-- --quick] [-- --json <file>] [-- --only <text>] [-- --no-transports] [-- --peers-dir <dir>]
// Every scenario in one run: ns/op per contender and the ratio to raw pino
// doing the same work, then the transport scenarios (each contender in a
// process of its own), then DESIGN.md's budgets, each met or not met.
// Peers that cannot share the project's tree (evlog) are installed on demand
// into bench/peers/ (or --peers-dir, a folder holding the same package.json
// and lockfile), and shown as n/a with the reason when that install fails.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { postgresBudgets, scenarioBudgets, transportBudgets } from './budgets.js'
import { useIsolatedPeers } from './contenders.js'
import { defaultPeersDir, loadIsolatedPeers, pinnedPeers } from './isolated-peers.js'
import { measureScenario } from './measure.js'
import { scenarios } from './scenarios.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    json: { type: 'string' },
    only: { type: 'string' },
    'no-transports': { type: 'boolean' },
    'peers-dir': { type: 'string' }
  }
})
const settings = values.quick
  ? { ops: 10_000, rounds: 5, transportRecords: 100_000 }
  : { ops: 50_000, rounds: 9, transportRecords: 1_000_000 }

const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const pad = (text, width) => String(text).padEnd(width)
const right = (text, width) => String(text).padStart(width)
const say = (line = '') => { process.stdout.write(line + '\n') }

say(`daslog benchmark (${values.quick ? 'quick' : 'full'}) — ${machine}`)
say(`${settings.rounds} rounds of ${settings.ops} ops per contender (x20 for disabled calls), contenders alternated;`)
say('ns/op is the median of the rounds, spread = (max - min) / median. Every contender writes NDJSON to a sync sonic-boom on /dev/null.')
say('winston hands records to a stream and writes them when the event loop turns (between batches, untimed), so its figures flatter it.')
say('evlog (bench/peers/, a tree of its own) is silent, its drain writing each wide event JSON.stringify\'d to the same sink; the promise')
say('it wraps the drain in settles after the batch (untimed). Its records add an ISO timestamp, service and environment. Bound logger: it has')
say('no reusable child, so each call is createLogger(bound), set(fields), emit() (adding durationMs, duration). Masking: its redact (paths;')
say('builtins email, creditCard). Sampling: its head sampling is per level, so info at rate 0.')

const selected = scenarios.filter((scenario) => values.only === undefined || scenario.name.includes(values.only))
const peersDir = values['peers-dir'] ?? defaultPeersDir
const peerNames = Object.keys(pinnedPeers(peersDir))
const peers = {}
if (selected.some((scenario) => peerNames.some((name) => name in scenario.contenders))) {
  const loaded = await loadIsolatedPeers({ dir: peersDir, say })
  useIsolatedPeers(loaded)
  const pinned = pinnedPeers(peersDir)
  for (const name of peerNames) peers[name] = { version: pinned[name], ...(loaded.unavailable[name] === undefined ? {} : { unavailable: loaded.unavailable[name] }) }
}
say()

const rows = []
const budgets = []
say(`${pad('scenario', 44)}${pad('contender', 10)}${right('ns/op', 10)}${right('spread', 8)}${right('vs pino', 9)}`)
for (const scenario of selected) {
  const ops = scenario.fast ? settings.ops * 20 : settings.ops
  const measured = await measureScenario(scenario.contenders, { ops, rounds: settings.rounds })
  for (const contender of Object.keys(scenario.contenders)) {
    const m = measured[contender]
    if (m.unavailable !== undefined) {
      rows.push({ scenario: scenario.name, contender, unavailable: m.unavailable })
      say(`${pad(scenario.name, 44)}${pad(contender, 10)}${right('n/a', 10)}  ${m.unavailable}`)
      continue
    }
    const ratio = m.nsPerOp / measured.pino.nsPerOp
    rows.push({ scenario: scenario.name, contender, nsPerOp: m.nsPerOp, spread: m.spread, ratio })
    say(`${pad(scenario.name, 44)}${pad(contender, 10)}${right(m.nsPerOp.toFixed(1), 10)}${right(`${(m.spread * 100).toFixed(0)}%`, 8)}${right(`${ratio.toFixed(2)}x`, 9)}`)
  }
  budgets.push(...scenarioBudgets(scenario, measured))
}

const transports = []
if (!values['no-transports'] && values.only === undefined) {
  const n = settings.transportRecords
  say(`\nTransports: ${n.toLocaleString('en')} records to a file, then two bursts of ${n.toLocaleString('en')} into a slow destination (~30k records/s)`)
  say('(file: pino/file writes the raw lines, daslog its csv transport writes CSV rows; slow: 50 records per ms, daslog on its transport runtime;')
  say(' webhook: daslog only, batches of 500 POSTed to a receiver in another process on 127.0.0.1, queue as large as the run)')
  say(`${pad('destination', 13)}${pad('contender', 10)}${right('records/s', 11)}${right('log ms', 9)}${right('done ms', 9)}${right('burst MiB', 15)}${right('max stall', 11)}${right('dead-lett.', 11)}${right('lost', 9)}`)
  for (const [destination, bursts, contenders] of [['file', 1, ['pino', 'daslog']], ['slow', 2, ['pino', 'daslog']], ['webhook', 1, ['daslog']]]) {
    for (const contender of contenders) {
      const output = execFileSync(process.execPath, [new URL('./transport.js', import.meta.url).pathname, contender, destination, String(n), String(bursts)], { encoding: 'utf8', timeout: 300_000 })
      const run = JSON.parse(output.trim().split('\n').pop())
      transports.push(run)
      say(`${pad(destination, 13)}${pad(contender, 10)}${right(Math.round(run.recordsPerSecond).toLocaleString('en'), 11)}${right(run.logMs.toFixed(0), 9)}${right(run.untilDoneMs.toFixed(0), 9)}${right(run.burstGrowthMiB.map((m) => m.toFixed(0)).join(' + '), 15)}${right(`${run.maxStallMs.toFixed(1)} ms`, 11)}${right(run.deadLettered, 11)}${right(run.lost, 9)}`)
    }
  }
  budgets.push(...transportBudgets(transports))

  const stored = settings.transportRecords / 10
  say(`\nPostgreSQL: ${stored.toLocaleString('en')} records from the logger into a fresh database on ${process.env.DASLOG_BENCH_POSTGRES ?? 'postgres://127.0.0.1:5432'}`)
  say('(daslog: the postgres transport, timed until close() resolved; pg: a hand-written loop of awaited 1,000-row INSERT ... VALUES, same table and indexes)')
  say(`${pad('destination', 13)}${pad('contender', 10)}${right('records/s', 11)}${right('seconds', 9)}${right('lost', 9)}`)
  for (const contender of ['pg', 'daslog']) {
    try {
      const output = execFileSync(process.execPath, [new URL('./postgres.js', import.meta.url).pathname, contender, String(stored)], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] })
      const run = JSON.parse(output.trim().split('\n').pop())
      transports.push(run)
      say(`${pad('postgres', 13)}${pad(contender, 10)}${right(Math.round(run.recordsPerSecond).toLocaleString('en'), 11)}${right(run.seconds.toFixed(2), 9)}${right(run.lost, 9)}`)
    } catch (error) {
      const reason = `PostgreSQL not reachable (${String(error.stderr ?? error.message).trim().split('\n').at(-1)})`
      transports.push({ contender, destination: 'postgres', unavailable: reason })
      say(`${pad('postgres', 13)}${pad(contender, 10)}${right('n/a', 11)}  ${reason}`)
    }
  }
  budgets.push(...postgresBudgets(transports))
}

say('\nBudgets (DESIGN.md)')
for (const b of budgets) {
  const figure = b.ratio !== undefined ? `${b.ratio.toFixed(3)}x (${b.max !== undefined ? `at most ${b.max}x` : `at least ${b.min}x`})` : (b.value ?? '')
  say(`  ${pad(b.status, 8)} ${pad(b.budget, 50)} ${b.status === 'n/a' ? b.reason : figure}`)
}

if (values.json !== undefined) {
  writeFileSync(values.json, JSON.stringify({ machine, settings, date: new Date().toISOString(), isolatedPeers: peers, scenarios: rows, transports, budgets }, null, 2) + '\n')
  say(`\nwrote ${values.json}`)
}

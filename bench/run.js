// npm run bench [-- --quick] [-- --json <file>] [-- --only <text>] [-- --no-transports] [-- --peers-dir <dir>] [-- --node 20,22,24]
// Every scenario in one run: ns/op per contender and the ratio to raw pino
// doing the same work, then the transport scenarios (each contender in a
// process of its own), then DESIGN.md's budgets, each met or not met.
// Peers that cannot share the project's tree (evlog) are installed on demand
// into bench/peers/ (or --peers-dir, a folder holding the same package.json
// and lockfile), and shown as n/a with the reason when that install fails.
// --node 20,22,24: the in-process scenarios once per Node line, each in a
// child process on that line's node (see on-node-lines.js), then their ratio
// tables side by side; the transport scenarios are not run then.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { amqpBudgets, postgresBudgets, scenarioBudgets, serveBudgets, transportBudgets } from './budgets.js'
import { useIsolatedPeers } from './contenders.js'
import { defaultPeersDir, loadIsolatedPeers, pinnedPeers } from './isolated-peers.js'
import { measureScenario, medianRun } from './measure.js'
import { benchOnNodeLines } from './on-node-lines.js'
import { scenarios } from './scenarios.js'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    json: { type: 'string' },
    only: { type: 'string' },
    'no-transports': { type: 'boolean' },
    'peers-dir': { type: 'string' },
    node: { type: 'string' }
  }
})
if (values.node !== undefined) process.exit(benchOnNodeLines(values))
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
  // The file scenario is a ratio of two runs of a two-thread pipeline: several rounds, the contenders alternated, each
  // contender's median kept (single runs of the pair swung it by 0.8-1.2x here). The others are single runs.
  const fileRounds = values.quick ? 1 : 3
  say(`(file: ${fileRounds} round(s), medians; pino/file writes the raw lines, daslog its csv transport writes CSV rows; slow: 50 records per ms, daslog on its transport runtime;`)
  say(' webhook: daslog only, batches of 500 POSTed to a receiver in another process on 127.0.0.1, queue as large as the run)')
  say(`${pad('destination', 13)}${pad('contender', 10)}${right('records/s', 11)}${right('log ms', 9)}${right('done ms', 9)}${right('burst MiB', 15)}${right('max stall', 11)}${right('dead-lett.', 11)}${right('lost', 9)}`)
  for (const [destination, bursts, contenders, rounds] of [['file', 1, ['pino', 'daslog'], fileRounds], ['slow', 2, ['pino', 'daslog'], 1], ['webhook', 1, ['daslog'], 1]]) {
    const runs = new Map(contenders.map((contender) => [contender, []]))
    for (let round = 0; round < rounds; round++) {
      for (const contender of contenders) {
        const output = execFileSync(process.execPath, [new URL('./transport.js', import.meta.url).pathname, contender, destination, String(n), String(bursts)], { encoding: 'utf8', timeout: 300_000 })
        runs.get(contender).push(JSON.parse(output.trim().split('\n').pop()))
      }
    }
    for (const contender of contenders) {
      const run = medianRun(runs.get(contender))
      transports.push(run)
      const each = run.rounds.length > 1 ? `   [${run.rounds.map((r) => Math.round(r).toLocaleString('en')).join(' ')}]` : ''
      say(`${pad(destination, 13)}${pad(contender, 10)}${right(Math.round(run.recordsPerSecond).toLocaleString('en'), 11)}${right(run.logMs.toFixed(0), 9)}${right(run.untilDoneMs.toFixed(0), 9)}${right(run.burstGrowthMiB.map((m) => m.toFixed(0)).join(' + '), 15)}${right(`${run.maxStallMs.toFixed(1)} ms`, 11)}${right(run.deadLettered, 11)}${right(run.lost, 9)}${each}`)
    }
  }
  budgets.push(...transportBudgets(transports))

  const stored = settings.transportRecords / 10
  // Several rounds, the contenders alternated, each contender's median kept: one run of each swung the chain's ratio by
  // 0.68-0.82x here (this machine runs a whole process 10-15 % faster or slower from one start to the next).
  const pgRounds = values.quick ? 1 : 3
  say(`\nPostgreSQL: ${stored.toLocaleString('en')} records from the logger into a fresh database on ${process.env.DASLOG_BENCH_POSTGRES ?? 'postgres://127.0.0.1:5432'}, ${pgRounds} round(s), medians`)
  say('(daslog: the postgres transport, timed until close() resolved; daslog-chain: the same with chain: true, then `verify` of the chain;')
  say(' pg: a hand-written loop of awaited 1,000-row INSERT ... VALUES, same table and indexes)')
  say(`${pad('destination', 13)}${pad('contender', 13)}${right('records/s', 11)}${right('seconds', 9)}${right('lost', 9)}`)
  const pgContenders = ['pg', 'daslog', 'daslog-chain']
  const pgRuns = new Map(pgContenders.map((contender) => [contender, []]))
  for (let round = 0; round < pgRounds; round++) {
    for (const contender of pgContenders) {
      try {
        const output = execFileSync(process.execPath, [new URL('./postgres.js', import.meta.url).pathname, contender, String(stored)], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] })
        pgRuns.get(contender).push(JSON.parse(output.trim().split('\n').pop()))
      } catch (error) {
        pgRuns.get(contender).push({ contender, destination: 'postgres', unavailable: `PostgreSQL not reachable (${String(error.stderr ?? error.message).trim().split('\n').at(-1)})` })
      }
    }
  }
  for (const contender of pgContenders) {
    const run = medianRun(pgRuns.get(contender))
    transports.push(run)
    if (run.unavailable !== undefined) {
      say(`${pad('postgres', 13)}${pad(contender, 13)}${right('n/a', 11)}  ${run.unavailable}`)
      continue
    }
    const verified = run.verifyRowsPerSecond === undefined ? '' : `   verify ${Math.round(run.verifyRowsPerSecond).toLocaleString('en')} rows/s`
    const rounds = run.rounds.length > 1 ? `   [${run.rounds.map((r) => Math.round(r).toLocaleString('en')).join(' ')}]` : ''
    say(`${pad('postgres', 13)}${pad(contender, 13)}${right(Math.round(run.recordsPerSecond).toLocaleString('en'), 11)}${right(run.seconds.toFixed(2), 9)}${right(run.lost, 9)}${verified}${rounds}`)
  }
  budgets.push(...postgresBudgets(transports))

  const seconds = values.quick ? 3 : 10
  say(`\nCollector (daslog serve, in a process of its own): autocannon, 8 connections, ${seconds} s per phase`)
  say('(POST /events: batches of 100 records, each stored as new rows; GET /events?limit=100: the newest 100)')
  say(`${pad('store', 13)}${right('POST records/s', 16)}${right('POST p99', 10)}${right('GET req/s', 11)}${right('GET p99', 9)}${right('errors', 8)}${right('lost', 7)}`)
  for (const kind of ['embedded', 'postgres']) {
    try {
      const output = execFileSync(process.execPath, [new URL('./serve.js', import.meta.url).pathname, kind, String(seconds)], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] })
      const run = JSON.parse(output.trim().split('\n').pop())
      transports.push(run)
      say(`${pad(kind, 13)}${right(Math.round(run.postRecordsPerSecond).toLocaleString('en'), 16)}${right(`${run.postP99Ms} ms`, 10)}${right(Math.round(run.getRequestsPerSecond).toLocaleString('en'), 11)}${right(`${run.getP99Ms} ms`, 9)}${right(run.postErrors + run.getErrors, 8)}${right(run.lost, 7)}`)
    } catch (error) {
      const reason = `not measured (${String(error.stderr ?? error.message).trim().split('\n').at(-1)})`
      transports.push({ destination: `serve-${kind}`, unavailable: reason })
      say(`${pad(kind, 13)}${right('n/a', 16)}  ${reason}`)
    }
  }
  budgets.push(...serveBudgets(transports))

  const published = settings.transportRecords / 50
  say(`\nRabbitMQ: ${published.toLocaleString('en')} persistent records published with confirms on ${process.env.DASLOG_BENCH_AMQP ?? 'amqp://127.0.0.1:5672'}, each contender 3 times alternated (median)`)
  say('(daslog: the amqp transport, timed until close() resolved; amqplib: a hand-written confirm-channel loop, the same messages, waitForConfirms every 500;')
  say(' e2e-1/e2e-2: the amqp transport into one or two consumeIntoStore consumers storing into PostgreSQL, timed until every record is a row)')
  say(`${pad('destination', 13)}${pad('contender', 10)}${right('records/s', 11)}${right('seconds', 9)}${right('lost', 9)}`)
  const amqpRun = (contender) => {
    try {
      const output = execFileSync(process.execPath, [new URL('./amqp.js', import.meta.url).pathname, contender, String(published)], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] })
      return JSON.parse(output.trim().split('\n').pop())
    } catch (error) {
      return { contender, destination: 'amqp', unavailable: `RabbitMQ or PostgreSQL not reachable (${String(error.stderr ?? error.message).trim().split('\n').at(-1)})` }
    }
  }
  const median = (runs) => runs.find((run) => run.unavailable !== undefined) ?? [...runs].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond)[1]
  const runs = { amqplib: [], daslog: [] }
  for (let round = 0; round < 3; round++) for (const contender of ['amqplib', 'daslog']) runs[contender].push(amqpRun(contender))
  for (const run of [median(runs.amqplib), median(runs.daslog), amqpRun('e2e-1'), amqpRun('e2e-2')]) {
    transports.push(run)
    if (run.unavailable !== undefined) say(`${pad('amqp', 13)}${pad(run.contender, 10)}${right('n/a', 11)}  ${run.unavailable}`)
    else say(`${pad('amqp', 13)}${pad(run.contender, 10)}${right(Math.round(run.recordsPerSecond).toLocaleString('en'), 11)}${right(run.seconds.toFixed(2), 9)}${right(run.lost, 9)}`)
  }
  budgets.push(...amqpBudgets(transports))
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

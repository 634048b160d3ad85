// The benchmark harness's own logic (no timing is asserted: figures come from `npm run bench` only).
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
// @ts-expect-error plain JavaScript module without types
import { median, measureScenario, medianRun } from '../../bench/measure.js'
// @ts-expect-error plain JavaScript module without types
import { amqpBudgets, postgresBudgets, scenarioBudgets, serveBudgets, transportBudgets } from '../../bench/budgets.js'
// @ts-expect-error plain JavaScript module without types
import { loadIsolatedPeers, missingPeers } from '../../bench/isolated-peers.js'

t.test('median of odd and even samples', async (t) => {
  t.equal(median([5, 1, 3]), 3)
  t.equal(median([4, 1, 3, 2]), 2.5)
})

t.test('a process-per-run contender: the median run, every round beside it, every loss counted, or the first unavailable run', async (t) => {
  const run = (recordsPerSecond: number, lost = 0): Record<string, unknown> => ({ contender: 'daslog', destination: 'postgres', recordsPerSecond, seconds: 100_000 / recordsPerSecond, lost })
  t.same(medianRun([run(40), run(50, 2), run(45)]), { ...run(45), rounds: [40, 50, 45], lost: 2 })
  t.same(medianRun([run(40), run(50)]), { ...run(40), rounds: [40, 50], lost: 0 }, 'the lower middle of an even count')
  t.same(medianRun([run(40), { contender: 'daslog', destination: 'postgres', unavailable: 'away' }]), { contender: 'daslog', destination: 'postgres', unavailable: 'away' })
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
  const versusOff = { budgets: [{ name: 'on vs off', max: 1.05, versus: 'off' }] }
  t.strictSame(scenarioBudgets(versusOff, { pino: { nsPerOp: 50 }, off: { nsPerOp: 100 }, daslog: { nsPerOp: 104 } }), [{ budget: 'on vs off', max: 1.05, ratio: 1.04, status: 'met' }], 'a budget can compare with another contender')
})

t.test('transport budgets: records/s against pino, memory per burst, stalls, losses', async (t) => {
  const lines = transportBudgets([
    { contender: 'pino', destination: 'file', recordsPerSecond: 100 },
    { contender: 'daslog', destination: 'file', recordsPerSecond: 90 },
    { contender: 'daslog', destination: 'slow', burstGrowthMiB: [300, 20], maxStallMs: 80, lost: 3 }
  ])
  t.same(lines.map((l: { status: string }) => l.status), ['NOT MET', 'NOT MET', 'met', 'NOT MET', 'NOT MET'])
})

t.test('postgres budget: the transport against the plain pg loop, or n/a while the server is away', async (t) => {
  const pg = { contender: 'pg', destination: 'postgres', recordsPerSecond: 100, lost: 0 }
  t.match(postgresBudgets([pg, { contender: 'daslog', destination: 'postgres', recordsPerSecond: 130, lost: 0 }]), [{ status: 'met', ratio: 1.3 }])
  t.match(postgresBudgets([pg, { contender: 'daslog', destination: 'postgres', recordsPerSecond: 130, lost: 1 }]), [{ status: 'NOT MET' }])
  t.match(postgresBudgets([pg, { contender: 'daslog', destination: 'postgres', unavailable: 'away' }]), [{ status: 'n/a', reason: 'away' }])
  t.same(postgresBudgets([pg]), [])
  const daslog = { contender: 'daslog', destination: 'postgres', recordsPerSecond: 130, lost: 0 }
  t.match(postgresBudgets([pg, daslog, { contender: 'daslog-chain', destination: 'postgres', recordsPerSecond: 100, lost: 0 }])[1], { budget: 'postgres transport with chain: true vs without', status: 'met', min: 0.7 }, 'the chain costs at most 30%')
  t.match(postgresBudgets([pg, daslog, { contender: 'daslog-chain', destination: 'postgres', recordsPerSecond: 80, lost: 0 }])[1], { status: 'NOT MET' })
  t.match(postgresBudgets([pg, daslog, { contender: 'daslog-chain', destination: 'postgres', unavailable: 'away' }])[1], { status: 'n/a', reason: 'away' })
})

t.test('serve budget: 20,000 records/s with PostgreSQL, none lost, no errors; n/a when not measured', async (t) => {
  const run = { destination: 'serve-postgres', postRecordsPerSecond: 21_000, lost: 0, postErrors: 0 }
  t.match(serveBudgets([run]), [{ status: 'met', value: /21,000 records\/s/ }])
  t.match(serveBudgets([{ ...run, postRecordsPerSecond: 19_999 }]), [{ status: 'NOT MET' }])
  t.match(serveBudgets([{ ...run, lost: 100 }]), [{ status: 'NOT MET' }])
  t.match(serveBudgets([{ ...run, postErrors: 1 }]), [{ status: 'NOT MET' }])
  t.match(serveBudgets([{ destination: 'serve-postgres', unavailable: 'away' }]), [{ status: 'n/a', reason: 'away' }])
  t.same(serveBudgets([{ destination: 'serve-embedded', postRecordsPerSecond: 5000 }]), [])
})

// Isolated peers (bench/peers/): competitors that cannot share the project's tree get a folder of their own,
// installed on demand by the bench. These runs use a copy of that folder in a temporary one, so they never touch
// bench/peers/node_modules, which another bench may be using.
const root = fileURLToPath(new URL('../../', import.meta.url))
const peersDir = join(root, 'bench', 'peers')
const pinned = JSON.parse(readFileSync(join(peersDir, 'package.json'), 'utf8')).dependencies as Record<string, string>
const runFile = promisify(execFile)

function copyOfPeers (t: Test): string {
  const dir = t.testdir()
  copyFileSync(join(peersDir, 'package.json'), join(dir, 'package.json'))
  copyFileSync(join(peersDir, 'package-lock.json'), join(dir, 'package-lock.json'))
  return dir
}

/** `node bench/run.js --quick --only <scenario> --peers-dir <dir>`, its output once it exits. */
async function quickRun (only: string, dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { stdout } = await runFile(process.execPath, [join(root, 'bench', 'run.js'), '--quick', '--only', only, '--peers-dir', dir], { cwd: root, env, timeout: 90_000, maxBuffer: 1 << 20 })
  return stdout
}

t.test('the peers folder pins evlog with a lockfile, and the root tree does not carry it', async (t) => {
  t.match(pinned.evlog, /^\d+\.\d+\.\d+$/, 'evlog at an exact version')
  const lock = JSON.parse(readFileSync(join(peersDir, 'package-lock.json'), 'utf8'))
  t.equal(lock.packages['node_modules/evlog'].version, pinned.evlog, 'the committed lockfile agrees')
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  t.notOk({ ...rootManifest.dependencies, ...rootManifest.devDependencies }.evlog, 'not a root dependency: npm ci does not install it')
  t.notOk(rootManifest.workspaces, 'no workspaces that would pull the folder into the root install')
})

t.test('a missing or mismatched peer is detected; without installing, it is n/a with the reason', async (t) => {
  const dir = copyOfPeers(t)
  t.strictSame(missingPeers(dir), ['evlog'])
  mkdirSync(join(dir, 'node_modules', 'evlog'), { recursive: true })
  writeFileSync(join(dir, 'node_modules', 'evlog', 'package.json'), JSON.stringify({ name: 'evlog', version: '0.0.1' }))
  t.strictSame(missingPeers(dir), ['evlog'], 'another version counts as missing')
  const loaded = await loadIsolatedPeers({ dir, install: false })
  t.strictSame(loaded.modules, {})
  t.match(loaded.unavailable.evlog, /not installed in .*npm ci --prefix/)
})

const notBuilt = existsSync(join(root, 'dist', 'src', 'index.js')) ? false : 'dist/ is not built (npm run build): the bench imports daslog from it'

t.test('when the install fails, the bench carries on and shows the peer as n/a with the reason', { skip: notBuilt }, async (t) => {
  const dir = copyOfPeers(t)
  // A registry nobody listens on and an empty cache: npm ci cannot fetch anything.
  const noRegistry = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: join(dir, 'empty-cache'), npm_config_fetch_retries: '0' }
  const out = await quickRun('plain event', dir, noRegistry)
  t.match(out, /Isolated peers: evlog@[\d.]+ missing from .*, installing \(npm ci --prefix /)
  t.match(out, /Isolated peers: install failed, evlog shown as n\/a: npm ci failed/)
  t.match(out, /^plain event +evlog +n\/a +install of .* failed: npm ci failed/m)
  t.match(out, /^plain event +pino +[\d.]+ /m, 'the other contenders are measured')
})

/** Why the registry cannot be used (the reason the install test is skipped with), or false. */
async function registryUnreachable (): Promise<string | false> {
  const env = { ...process.env }
  for (const key of ['npm_config_prefix', 'npm_config_local_prefix', 'npm_config_call', 'npm_command']) delete env[key]
  try {
    await runFile('npm', ['view', `evlog@${pinned.evlog}`, 'version'], { env, timeout: 30_000 })
    return false
  } catch (err) {
    const { message, stderr = '' } = err as Error & { stderr?: string }
    const detail = `${stderr}\n${message}`.split('\n').map((l) => l.trim()).find((l) => /err|timed? ?out/i.test(l)) ?? message.split('\n')[0]
    return `the npm registry is unreachable (npm view evlog@${pinned.evlog}: ${detail})`
  }
}
const offline = notBuilt === false ? await registryUnreachable() : false
if (offline !== false) t.comment(`skipping the on-demand install: ${offline}`)

t.test('the bench installs the peers folder on demand and evlog appears in a --quick --only run', { skip: notBuilt || offline }, async (t) => {
  const dir = copyOfPeers(t)
  const out = await quickRun('plain event', dir)
  t.match(out, /Isolated peers: evlog@[\d.]+ missing from .*, installing \(npm ci --prefix /)
  t.match(out, /Isolated peers: installed in [\d.]+ s\./)
  t.ok(existsSync(join(dir, 'node_modules', 'evlog', 'package.json')), 'installed into the folder given')
  t.strictSame(missingPeers(dir), [])
  t.match(out, /^plain event +evlog +[\d.]+ +\d+% +[\d.]+x$/m, 'evlog is measured beside the others')
  const again = await quickRun('plain event', dir)
  t.notMatch(again, /Isolated peers: .*installing/, 'installed once: the next run uses it as it is')
  t.match(again, /^plain event +evlog +[\d.]+ /m)
})

t.test('amqp budget: the transport at least 0.8x the amqplib confirm loop, nothing lost, or n/a while the broker is away', async (t) => {
  const amqplib = { contender: 'amqplib', destination: 'amqp', recordsPerSecond: 100, lost: 0 }
  t.match(amqpBudgets([amqplib, { contender: 'daslog', destination: 'amqp', recordsPerSecond: 85, lost: 0 }]), [{ status: 'met', ratio: 0.85, min: 0.8 }])
  t.match(amqpBudgets([amqplib, { contender: 'daslog', destination: 'amqp', recordsPerSecond: 70, lost: 0 }]), [{ status: 'NOT MET' }])
  t.match(amqpBudgets([amqplib, { contender: 'daslog', destination: 'amqp', recordsPerSecond: 120, lost: 3 }]), [{ status: 'NOT MET' }])
  t.match(amqpBudgets([amqplib, { contender: 'daslog', destination: 'amqp', unavailable: 'away' }]), [{ status: 'n/a', reason: 'away' }])
  t.same(amqpBudgets([amqplib]), [])
})

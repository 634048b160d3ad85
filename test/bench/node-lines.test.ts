// `npm run bench -- --node 20,22,24` and .ci/run's Node lines: the argument, where each line's node comes
// from, and the merged table (no timing is asserted: figures come from `npm run bench` only).
import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
// @ts-expect-error plain JavaScript module without types
import { nodeOfLine, nodePackage, parseNodeLines } from '../../bench/node-lines.js'
// @ts-expect-error plain JavaScript module without types
import { formatSideBySide, sideBySide } from '../../bench/side-by-side.js'
// @ts-expect-error plain JavaScript module without types
import { childArguments } from '../../bench/on-node-lines.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const machineLine = Number(process.versions.node.split('.')[0])

t.test('--node takes a comma-separated list of Node major versions', async (t) => {
  t.strictSame(parseNodeLines('20,22,24'), [20, 22, 24])
  t.strictSame(parseNodeLines(' 24, 22 '), [24, 22], 'in the order given, spaces allowed')
  t.strictSame(parseNodeLines('22'), [22])
  t.throws(() => parseNodeLines(''), { message: '--node: "" is not a Node major version (expected a list such as --node 20,22,24)' })
  t.throws(() => parseNodeLines('20,v22'), { message: /^--node: "v22" is not a Node major version/ })
  t.throws(() => parseNodeLines('22.1'), { message: /^--node: "22.1" is not a Node major version/ })
  t.throws(() => parseNodeLines('18,20'), { message: '--node: Node 18 is older than daslog supports (engines: node >= 20.19)' })
  t.throws(() => parseNodeLines('22,20,22'), { message: '--node: Node 22 is given twice' })
})

t.test('each line runs the same selection, in-process only, its figures written as JSON', async (t) => {
  t.strictSame(childArguments({ node: '20,22' }, '/tmp/x.json'), ['--no-transports', '--json', '/tmp/x.json'])
  t.strictSame(childArguments({ node: '22', quick: true, only: 'masking', 'peers-dir': '/p', json: '/out.json' }, '/tmp/x.json'),
    ['--no-transports', '--json', '/tmp/x.json', '--quick', '--only', 'masking', '--peers-dir', '/p'], 'the merged --json is the parent\'s, not passed on')
})

const run = (scenarios: unknown[], budgets: unknown[] = []): { scenarios: unknown[], budgets: unknown[] } => ({ scenarios, budgets })

t.test('the runs are merged a column per line: pino in ns/op, the others as ratios, n/a where a figure is missing', async (t) => {
  const merged = sideBySide([
    {
      label: 'Node 20.20.2',
      result: run([
        { scenario: 'plain event', contender: 'pino', nsPerOp: 4685.4, spread: 0.2, ratio: 1 },
        { scenario: 'plain event', contender: 'daslog', nsPerOp: 4872.8, spread: 0.3, ratio: 1.04 },
        { scenario: 'plain event', contender: 'evlog', unavailable: 'install failed' }
      ], [{ budget: 'hot path', max: 1.05, ratio: 1.111, status: 'NOT MET' }])
    },
    {
      label: 'Node 22.23.5',
      result: run([
        { scenario: 'plain event', contender: 'pino', nsPerOp: 3900, spread: 0.1, ratio: 1 },
        { scenario: 'plain event', contender: 'evlog', nsPerOp: 4200, spread: 0.1, ratio: 1.0769 },
        { scenario: 'plain event', contender: 'daslog', nsPerOp: 3861, spread: 0.1, ratio: 0.99 },
        { scenario: 'disabled level', contender: 'pino', nsPerOp: 7.8, spread: 0.1, ratio: 1 }
      ], [
        { budget: 'hot path', max: 1.05, ratio: 0.974, status: 'met' },
        { budget: 'slow destination: no stall over 50 ms', value: '26.5 ms', status: 'met' }
      ])
    },
    { label: 'Node 24', unavailable: 'npm install failed' }
  ])
  t.strictSame(merged, {
    labels: ['Node 20.20.2', 'Node 22.23.5', 'Node 24'],
    rows: [
      { scenario: 'plain event', contender: 'pino', cells: ['4,685 ns', '3,900 ns', 'n/a'] },
      { scenario: 'plain event', contender: 'daslog', cells: ['1.04x', '0.99x', 'n/a'] },
      { scenario: 'plain event', contender: 'evlog', cells: ['n/a', '1.08x', 'n/a'] },
      { scenario: 'disabled level', contender: 'pino', cells: ['n/a', '7.8 ns', 'n/a'] }
    ],
    budgets: [
      { budget: 'hot path', cells: ['1.11x NOT MET', '0.97x met', 'n/a'] },
      { budget: 'slow destination: no stall over 50 ms', cells: ['n/a', '26.5 ms met', 'n/a'] }
    ]
  })
  const text = formatSideBySide(merged)
  t.strictSame(text.map((line: string) => line.replace(/ +/g, ' ').trim()), [
    'scenario contender Node 20.20.2 Node 22.23.5 Node 24',
    'plain event pino 4,685 ns 3,900 ns n/a',
    'plain event daslog 1.04x 0.99x n/a',
    'plain event evlog n/a 1.08x n/a',
    'disabled level pino n/a 7.8 ns n/a',
    '',
    'budget (DESIGN.md) Node 20.20.2 Node 22.23.5 Node 24',
    'hot path 1.11x NOT MET 0.97x met n/a',
    'slow destination: no stall over 50 ms n/a 26.5 ms met n/a'
  ])
  const ends = (line: string): number[] => [...line.matchAll(/\S(?= {2}|$)/g)].map((m) => m.index).slice(-3)
  t.strictSame(ends(text[1]!), ends(text[0]!), 'the columns end where their headings do')
  t.strictSame(ends(text[8]!), ends(text[0]!), 'the budget columns line up with the scenario columns')
})

t.test('the machine\'s own line is its node, nothing installed', async (t) => {
  const cacheDir = t.testdir()
  const found = nodeOfLine(machineLine, { cacheDir, say: () => { t.fail('nothing to say') } })
  t.strictSame(found, { node: process.execPath, binDir: dirname(process.execPath), version: process.version, source: 'machine' })
  t.strictSame(readdirSync(cacheDir), [])
})

t.test('a line that cannot be installed is an error with the reason, and no half-installed folder is left', async (t) => {
  const cacheDir = t.testdir()
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  // A registry nobody listens on and an empty cache: npm cannot fetch anything.
  Object.assign(process.env, { npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: join(cacheDir, '.npm'), npm_config_fetch_retries: '0' })
  const said: string[] = []
  const line = machineLine + 2
  t.throws(() => nodeOfLine(line, { cacheDir, say: (text: string) => said.push(text) }), { message: new RegExp(`^Node ${line}: npm install failed: `) })
  t.strictSame(said, [`Node ${line}: installing ${nodePackage}@${line} into ${join(cacheDir, String(line))} (npm install --prefix)...`])
  t.strictSame(readdirSync(cacheDir).filter((name) => name !== '.npm'), [], 'neither the line\'s folder nor a staging folder')
})

const notBuilt = existsSync(join(root, 'dist', 'src', 'index.js')) ? false : 'dist/ is not built (npm run build): the bench imports daslog from it'

t.test('--node runs the scenarios in a child on each line, then prints them side by side', { skip: notBuilt }, async (t) => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench', 'run.js'), '--quick', '--only', 'floor', '--node', String(machineLine)], { cwd: root, timeout: 90_000, maxBuffer: 1 << 20 })
  t.match(stdout, new RegExp(`^=== Node ${process.versions.node} \\(this machine's node\\) ===$`, 'm'))
  t.match(stdout, new RegExp(`^daslog benchmark \\(quick\\) — .*Node ${process.version}$`, 'm'), 'the line\'s own run, with its table')
  t.match(stdout, /^floor: JSON\.stringify \+ write +floor +[\d.]+ +\d+% +[\d.]+x$/m)
  const merged = stdout.slice(stdout.indexOf('Side by side'))
  t.match(merged, new RegExp(`^scenario +contender +Node ${process.versions.node}$`, 'm'))
  t.match(merged, /^floor: JSON\.stringify \+ write +pino +[\d,]+ ns$/m)
  t.match(merged, /^floor: JSON\.stringify \+ write +floor +[\d.]+x$/m)
  t.notMatch(stdout, /^Transports:/m, 'no transport scenarios per line')
})

t.test('a bad --node is refused before anything runs', { skip: notBuilt }, async (t) => {
  const failed = await promisify(execFile)(process.execPath, [join(root, 'bench', 'run.js'), '--node', '18'], { cwd: root, timeout: 30_000 }).then(() => undefined, (err: unknown) => err)
  t.match(failed, { code: 2, stdout: '', stderr: '--node: Node 18 is older than daslog supports (engines: node >= 20.19)\n' })
})

// The built package, as a user gets it: run after `npm run build` (npm test's pretest).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import t from 'tap'
import { tempDir } from './helpers.js'

const root = new URL('../', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string, exports: Record<string, unknown>, bin: Record<string, string>, scripts: Record<string, string>, type: string,
  dependencies: Record<string, string>, peerDependencies: Record<string, string>, peerDependenciesMeta: Record<string, { optional?: boolean }>
}

/** The paths `npm pack` puts in the tarball (its dry run; no scripts, the build is pretest's). */
const packed: ReadonlySet<string> = (() => {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`npm pack --dry-run failed: ${result.stderr}`)
  return new Set((JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path))
})()

/** Runs a snippet with plain node (no tsx) from the project root, where `daslog` resolves to the built package. */
function node (args: string[], cwd = root): { status: number | null, stdout: string, stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 30_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

t.test('package.json: ESM, every contract entry with types and default conditions, a bin, the scripts', async (t) => {
  t.equal(pkg.type, 'module')
  for (const entry of ['.', './testing', './store', './transports/csv', './transports/webhook', './transports/email', './transports/sms', './transports/postgres', './transports/pretty', './transports/otlp', './eslint-plugin']) {
    t.same(Object.keys(pkg.exports[entry] as object), ['types', 'default'], entry)
  }
  t.ok(pkg.bin.daslog)
  for (const script of ['build', 'test', 'bench', 'demo', 'lint', 'typecheck']) t.ok(pkg.scripts[script], script)
})

t.test('import and require both load the built package', async (t) => {
  const esm = node(['--input-type=module', '-e', "import { Events, createLogger } from 'daslog'; createLogger({ config: false }).info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })"])
  t.equal(esm.status, 0, esm.stderr)
  t.match(JSON.parse(esm.stdout), { level: 30, event: 'auth_login_success', user_id: 'u1' })
  const cjs = node(['-e', "const { createTestLogger } = require('daslog/testing'); const t = createTestLogger(); t.logger.bind('c').info('notification_send_started'); console.log(JSON.stringify(t.records))"])
  t.equal(cjs.status, 0, cjs.stderr)
  t.match(JSON.parse(cjs.stdout), [{ event: 'notification_send_started', correlation_id: 'c' }])
  t.equal(cjs.stderr, '', 'no warning printed')
})

t.test('a pino.config.mjs is loaded synchronously by plain node', async (t) => {
  const dir = userApp()
  writeFileSync(join(dir, 'pino.config.mjs'), "export default { base: { service: 'svc' }, level: 'warn' }\n")
  writeFileSync(join(dir, 'app.mjs'), `import { createLogger } from 'daslog'
const log = createLogger()
log.info('skipped_by_level_started')
log.warn('auth_login_failed', { username: 'u', reason: 'r' })
`)
  const result = node(['app.mjs'], dir)
  t.equal(result.status, 0, result.stderr)
  t.match(JSON.parse(result.stdout), { level: 40, service: 'svc', event: 'auth_login_failed' })
  t.equal(result.stdout.trim().split('\n').length, 1)
})

/** A user's app folder with daslog installed (a link to this package, as `npm link` makes). */
function userApp (): string {
  const dir = tempDir('app')
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(root, join(dir, 'node_modules', 'daslog'), 'dir')
  symlinkSync(join(root, 'node_modules', 'pino'), join(dir, 'node_modules', 'pino'), 'dir')
  return dir
}

t.test("pino.transport resolves every daslog transport entry from a user's app", async (t) => {
  const app = userApp()
  for (const name of ['csv', 'webhook', 'email', 'sms']) {
    writeFileSync(join(app, `${name}.cjs`), `require('pino').transport({ target: 'daslog/transports/${name}', options: {} }).on('error', (e) => { console.log(e.message); process.exit(0) })\n`)
    const result = node([`${name}.cjs`], app)
    t.equal(result.status, 0, result.stderr)
    t.match(result.stdout, `daslog/transports/${name}`, `${name} loads in the worker and reports itself`)
  }
})

t.test('the daslog bin checks and generates', async (t) => {
  const bin = join(root, pkg.bin.daslog!)
  t.match(execFileSync(process.execPath, [bin, 'check', join(root, 'catalog/default.yaml')], { encoding: 'utf8' }), /is valid \(\d+ events\)/)
  const check = node([bin, 'generate', join(root, 'catalog/default.yaml'), '--out', join(root, 'src/catalog/default-catalog.gen.ts'), '--import-from', './types.js', '--check'])
  t.equal(check.status, 0, check.stderr)
  const bad = node([bin, 'check', join(root, 'package.json')])
  t.equal(bad.status, 1)
  t.match(bad.stderr, /package\.json: \(root\)\.name: unknown key "name"/)
})

t.test('the tarball: a LICENSE, no tests, and every link of its Markdown leads to a file in it', async (t) => {
  t.ok(packed.has('LICENSE'), 'LICENSE is packed')
  t.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} daslog contributors\n/)
  t.same([...packed].filter((path) => path.startsWith('test/') || path.endsWith('.test.ts')), [], 'no test files')
  for (const path of ['README.md', 'docs/testing.md', 'docs/transports.md', 'examples/demo.ts', 'examples/webhook-receiver.ts']) t.ok(packed.has(path), `${path} is packed`)
  const broken: string[] = []
  for (const page of [...packed].filter((path) => path.endsWith('.md'))) {
    for (const [, target] of readFileSync(join(root, page), 'utf8').matchAll(/\]\(((?!https?:|mailto:|#)[^)#\s]+)(#[^)]*)?\)/g)) {
      const path = posix.normalize(posix.join(posix.dirname(page), target!)).replace(/\/$/, '')
      if (!packed.has(path) && ![...packed].some((file) => file.startsWith(`${path}/`))) broken.push(`${page} -> ${target}`)
    }
  }
  t.same(broken, [], 'links to files the tarball does not have')
})

t.test('every source of every packed source map is in the tarball, so stack traces name files that exist', async (t) => {
  const maps = [...packed].filter((path) => path.endsWith('.js.map'))
  t.ok(maps.length > 50, `${maps.length} source maps`)
  const missing: string[] = []
  for (const map of maps) {
    const { sources, sourceRoot = '' } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[], sourceRoot?: string }
    for (const source of sources) {
      const path = posix.normalize(posix.join(posix.dirname(map), sourceRoot, source))
      if (!packed.has(path)) missing.push(`${map} -> ${path}${packed.has(map.replace(/\.js\.map$/, '.js')) ? '' : ' (a stale build? rm -rf dist && npm run build)'}`)
    }
  }
  t.same(missing, [])
})

t.test("nothing packed speaks of the project's seed documents: systems are named for what they are", async (t) => {
  const mentions = [...packed].filter((path) => /\.(md|ts|js|yaml|json|mjs)$/.test(path) && !path.endsWith('.map'))
    .filter((path) => /seeds\/00\d/.test(readFileSync(join(root, path), 'utf8')))
  t.same(mentions, [])
})

t.test("the README says how to install daslog until it is on npm: pack a checkout, install the tarball", async (t) => {
  const install = /^## Install\n([\s\S]*?)^## /m.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1] ?? ''
  t.match(install, /npm pack/)
  t.match(install, `npm install ./daslog-${pkg.version}.tgz`)
  t.match(install, /not on the npm registry yet/)
})

t.test('smtp-server and mailparser are optional peers, not dependencies: daslog/testing loads them only for startSmtpInbox', async (t) => {
  for (const name of ['smtp-server', 'mailparser']) {
    t.equal(pkg.dependencies[name], undefined, `${name} is not a dependency`)
    t.ok(pkg.peerDependencies[name], `${name} is a peer dependency`)
    t.equal(pkg.peerDependenciesMeta[name]?.optional, true, '...an optional one')
  }
})

/** The packed tarball installed in a new app folder (its files as npm would unpack them; its dependencies linked from this checkout). */
function installedApp (): string {
  const dir = tempDir('installed')
  const packing = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root, encoding: 'utf8' })
  if (packing.status !== 0) throw new Error(`npm pack failed: ${packing.stderr}`)
  const modules = join(dir, 'node_modules')
  mkdirSync(modules)
  execFileSync('tar', ['-xzf', join(dir, `daslog-${pkg.version}.tgz`), '-C', modules])
  renameSync(join(modules, 'package'), join(modules, 'daslog'))
  for (const name of Object.keys(pkg.dependencies)) link(name, modules)
  return dir
}

function link (name: string, modules: string): void {
  mkdirSync(dirname(join(modules, name)), { recursive: true })
  symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir')
}

t.test('installed from the tarball: daslog/testing receivers work without smtp-server; the SMTP inbox says what to install, then works', async (t) => {
  const app = installedApp()
  t.same(readdirSync(join(app, 'node_modules', 'daslog')).sort(), ['LICENSE', 'README.md', 'catalog', 'dist', 'docs', 'examples', 'package.json', 'src', 'transports'])
  writeFileSync(join(app, 'receivers.mjs'), `import { createLogger } from 'daslog'
import { startSmsEndpoint, startSmtpInbox, startWebhookReceiver } from 'daslog/testing'
const webhook = await startWebhookReceiver({ signingSecret: 'whsec_' + Buffer.alloc(24, 1).toString('base64') })
const sms = await startSmsEndpoint()
const log = createLogger({ config: false, transport: { targets: [
  { target: 'daslog/transports/webhook', options: { url: webhook.url, signingSecret: 'whsec_' + Buffer.alloc(24, 1).toString('base64'), deadLetter: 'webhook.ndjson' } },
  { target: 'daslog/transports/sms', options: { accountSid: 'AC' + '1'.repeat(32), authToken: 't', from: '+15550001111', to: '+15552223333', baseUrl: sms.baseUrl, deadLetter: 'sms.ndjson' } }
] } })
log.info('auth_login_success', { user_id: 'u1' })
await log.close()
await Promise.all([webhook.close(), sms.close()])
const inbox = await startSmtpInbox().then(async (inbox) => { await inbox.close(); return 'started' }, (error) => error.message)
console.log(JSON.stringify({ records: webhook.records.map((record) => record.event), sms: sms.messages.map((message) => message.body), inbox }))
`)
  const without = node(['receivers.mjs'], app)
  t.equal(without.status, 0, without.stderr)
  t.same(JSON.parse(without.stdout), {
    records: ['auth_login_success'],
    sms: ['[info] auth_login_success: user_id=u1'],
    inbox: 'startSmtpInbox needs the smtp-server and mailparser packages, which daslog does not install itself: npm install --save-dev smtp-server mailparser'
  })
  const cjs = node(['-e', "const { createTestLogger, startWebhookReceiver } = require('daslog/testing'); console.log(typeof createTestLogger, typeof startWebhookReceiver)"], app)
  t.equal(cjs.stdout.trim(), 'function function', cjs.stderr)

  for (const name of ['smtp-server', 'mailparser']) link(name, join(app, 'node_modules'))
  const withPeers = node(['receivers.mjs'], app)
  t.equal(withPeers.status, 0, withPeers.stderr)
  t.match(JSON.parse(withPeers.stdout), { inbox: 'started' })
})

t.test('installed from the tarball: daslog/eslint-plugin loads without eslint installed, records.schema.json resolves, the bin renders docs', async (t) => {
  const app = installedApp()
  const esm = node(['--input-type=module', '-e', "import daslog from 'daslog/eslint-plugin'; import schema from 'daslog/records.schema.json' with { type: 'json' }; console.log(Object.keys(daslog.rules).join(','), Object.keys(daslog.configs).join(','), schema.$defs.auth_login_success.required.join(','))"], app)
  t.equal(esm.stdout.trim(), 'no-dynamic-event-name,known-event recommended user_id', esm.stderr)
  const cjs = node(['-e', "const daslog = require('daslog/eslint-plugin').default; console.log(daslog.meta.name, require('daslog/records.schema.json').$schema)"], app)
  t.equal(cjs.stdout.trim(), 'daslog/eslint-plugin https://json-schema.org/draft/2020-12/schema', cjs.stderr)
  const docs = node([join(app, 'node_modules', 'daslog', pkg.bin.daslog!), 'docs'], app)
  t.equal(docs.status, 0, docs.stderr)
  t.match(docs.stdout, /^# Events of daslog's default catalog\n/)
})

t.test('installed from the tarball: a stack trace through daslog names its TypeScript sources, which are there', async (t) => {
  const app = installedApp()
  const result = node(['--enable-source-maps', '--input-type=module', '-e', "import { createLogger } from 'daslog'; createLogger({ config: false, level: 'loud' })"], app)
  t.equal(result.status, 1)
  const frames = [...result.stderr.matchAll(/\((\/[^)]*node_modules\/daslog\/[^):]+):\d+:\d+\)/g)].map((match) => match[1]!)
  t.ok(frames.length > 0, `daslog frames in: ${result.stderr}`)
  for (const frame of frames) {
    t.match(frame, /\/node_modules\/daslog\/(src|transports)\/.*\.ts$/, 'a source file')
    t.ok(readFileSync(frame, 'utf8').length > 0, `${frame} exists`)
  }
})

// The built package, as a user gets it: run after `npm run build` (npm test's pretest).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from './helpers.js'

const root = new URL('../', import.meta.url).pathname
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>, bin: Record<string, string>, scripts: Record<string, string>, type: string
}

/** Runs a snippet with plain node (no tsx) from the project root, where `daslog` resolves to the built package. */
function node (args: string[], cwd = root): { status: number | null, stdout: string, stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 30_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

t.test('package.json: ESM, every contract entry with types and default conditions, a bin, the scripts', async (t) => {
  t.equal(pkg.type, 'module')
  for (const entry of ['.', './testing', './transports/csv', './transports/webhook', './transports/email', './transports/sms', './transports/pretty']) {
    t.same(Object.keys(pkg.exports[entry] as object), ['types', 'default'], entry)
  }
  t.ok(pkg.bin.daslog)
  for (const script of ['build', 'test', 'bench', 'demo', 'lint', 'typecheck']) t.ok(pkg.scripts[script], script)
})

t.test('import and require both load the built package', async (t) => {
  const esm = node(['--input-type=module', '-e', "import { Events, createLogger } from 'daslog'; createLogger({ config: false }).info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })"])
  t.equal(esm.status, 0, esm.stderr)
  t.match(JSON.parse(esm.stdout), { level: 30, event: 'auth_login_success', user_id: 'u1' })
  const cjs = node(['-e', "const { createTestLogger } = require('daslog/testing'); const t = createTestLogger(); t.logger.bind('c').info('x_y_started'); console.log(JSON.stringify(t.records))"])
  t.equal(cjs.status, 0, cjs.stderr)
  t.match(JSON.parse(cjs.stdout), [{ event: 'x_y_started', correlation_id: 'c' }])
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

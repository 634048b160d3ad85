// A config file that cannot be used says where and why: a syntax error as
// file:line:column with the message, top-level await as what it is, and a
// module without a default export as such. The same under plain node (which
// loads the file with require(esm)) and under tsx (whose require hook
// transforms it with esbuild), so each case also runs in child processes.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t, { type Test } from 'tap'
import { ConfigError, createLogger, isDaslogError } from '../../src/index.js'

/** A temporary folder, removed when the test ends. */
function scratch (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'daslog-config-file-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

interface Outcome {
  ok?: true
  name?: string
  code?: string
  option?: string
  file?: string
  line?: number
  column?: number
  message?: string
}

interface Case {
  readonly name: string
  readonly file: string
  readonly text: string
  readonly expect: (t: Test, outcome: Outcome, file: string, loader: string) => void
}

const syntax = (line: number, column: number, message: string) => (t: Test, outcome: Outcome, file: string): void => {
  t.equal(outcome.name, 'ConfigFileError')
  t.equal(outcome.code, 'DASLOG_CONFIG')
  t.equal(outcome.option, 'config')
  t.equal(outcome.file, file)
  t.equal(outcome.line, line)
  t.equal(outcome.column, column)
  t.match(outcome.message, `Syntax error in the config file ${file}:${line}:${column}: ${message}`)
  t.notMatch(outcome.message, /esbuild|Transform failed/)
  if (!file.endsWith('.js')) t.notMatch(outcome.message, /pino\.config\.js/, 'names no other file')
}

const cases: Case[] = [
  {
    name: 'a syntax error in pino.config.mjs',
    file: 'pino.config.mjs',
    text: "export default {\n  level: 'info',\n  base: {{ service: 'checkout' }\n}\n",
    expect: syntax(3, 10, "Unexpected token '{'")
  },
  {
    name: 'a syntax error in pino.config.cjs',
    file: 'pino.config.cjs',
    text: "module.exports = {\n  level: 'info' base: { service: 'checkout' }\n}\n",
    expect: syntax(2, 17, "Unexpected identifier 'base'")
  },
  {
    name: 'a syntax error in an ES module pino.config.js without a package type',
    file: 'pino.config.js',
    text: "export default {\n  level: 'info',\n  base: { service: 'checkout' },,\n}\n",
    expect: syntax(3, 33, "Unexpected token ','")
  },
  {
    name: 'top-level await',
    file: 'pino.config.mjs',
    text: "const level = await Promise.resolve('info')\nexport default { level }\n",
    expect: (t, outcome, file, loader) => {
      t.equal(outcome.name, 'ConfigFileError')
      t.equal(outcome.option, 'config')
      t.match(outcome.message, `Top-level await in the config file ${file}`)
      t.match(outcome.message, /loads the config file synchronously/)
      t.match(outcome.message, /config: false/, 'says what to do instead')
      t.notMatch(outcome.message, /cjs|esbuild|import\(\) instead/)
      // esbuild (tsx's require hook) tells where the await is; Node's require(esm) does not.
      if (loader === 'tsx') t.match(outcome.message, `${file}:1:15`)
    }
  },
  {
    name: 'named exports and no default export',
    file: 'pino.config.mjs',
    text: "export const config = { level: 'info' }\nexport const other = 1\n",
    expect: (t, outcome, file) => {
      t.equal(outcome.name, 'ConfigFileError')
      t.equal(outcome.option, 'config')
      t.equal(outcome.file, file)
      t.match(outcome.message, `Cannot use the config file ${file}: it has no default export (it exports only "config", "other")`)
      t.match(outcome.message, /export default \{ level: 'info', \.\.\. \}/)
      t.match(outcome.message, /module\.exports = \{ \.\.\. \}/)
    }
  },
  {
    name: 'CommonJS module.exports',
    file: 'pino.config.cjs',
    text: "module.exports = { level: 'warn', base: { service: 'checkout' } }\n",
    expect: (t, outcome) => { t.same(outcome, { ok: true }) }
  }
]

/** Run by each child: createLogger() in each folder given, the outcome of each as one JSON line. */
const childScript = `
const { createLogger } = await import(process.argv[2])
const outcomes = []
for (const dir of process.argv.slice(3)) {
  process.chdir(dir)
  try {
    createLogger()
    outcomes.push({ ok: true })
  } catch (e) {
    outcomes.push({ name: e.name, code: e.code, option: e.option, file: e.file, line: e.line, column: e.column, message: e.message })
  }
}
console.log(JSON.stringify(outcomes))
`

const sources = pathToFileURL(fileURLToPath(new URL('../../src/index.ts', import.meta.url))).href
const built = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url))
const loaders: Array<{ name: string, args: string[], entry: string, skip?: string }> = [
  // tsx as the examples run it: its require hook transforms the config with esbuild.
  { name: 'tsx', args: ['--import', import.meta.resolve('tsx')], entry: sources },
  // tsx's ESM hooks only: daslog from its sources, the config through Node's own require(esm).
  { name: 'node require(esm)', args: ['--import', import.meta.resolve('tsx/esm')], entry: sources },
  // plain node and the built package, as an installed daslog runs.
  { name: 'plain node', args: [], entry: pathToFileURL(built).href, ...existsSync(built) ? {} : { skip: 'no dist/ (npm run build)' } }
]

for (const loader of loaders) {
  t.test(`config file errors name the file, line and column (${loader.name})`, { skip: loader.skip ?? false }, async (t) => {
    const root = scratch(t)
    const dirs = cases.map((c, i) => {
      const dir = join(root, String(i))
      mkdirSync(dir)
      writeFileSync(join(dir, c.file), c.text)
      return dir
    })
    const script = join(root, 'create-logger.mjs')
    writeFileSync(script, childScript)
    const child = spawnSync(process.execPath, [...loader.args, script, loader.entry, ...dirs], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', DASLOG_CONFIG: '' },
      timeout: 60_000
    })
    t.equal(child.status, 0, child.stderr)
    const outcomes = JSON.parse(child.stdout.trim().split('\n').pop()!) as Outcome[]
    cases.forEach((c, i) => {
      t.test(c.name, async (t) => { c.expect(t, outcomes[i]!, join(dirs[i]!, c.file), loader.name) })
    })
  })
}

t.test('in this process too (tsx), the errors are ConfigErrors with a stable code', async (t) => {
  const dir = scratch(t)
  writeFileSync(join(dir, 'pino.config.mjs'), 'export default {\n  level: \'info\' \'warn\'\n}\n')
  const error = t.throws(() => createLogger({ config: join(dir, 'pino.config.mjs') })) as ConfigError & { line?: number, column?: number }
  t.ok(error instanceof ConfigError)
  t.ok(isDaslogError(error))
  t.equal(error.code, 'DASLOG_CONFIG')
  t.equal(error.option, 'config')
  t.equal(error.file, join(dir, 'pino.config.mjs'))
  t.equal(error.line, 2)
  t.equal(error.column, 17)
  t.match(error.message, /\n {4} {2}level: 'info' 'warn'\n {4} {16}\^/, 'with the line and a caret under the column')
})

t.test('CommonJS exports read as options, and an exported "config" object refused', async (t) => {
  const dir = scratch(t)
  const named = join(dir, 'exports.cjs')
  writeFileSync(named, "exports.level = 'warn'\n")
  const logger = createLogger({ config: named })
  t.equal(logger.level, 'warn', 'exports.level works as module.exports = { level }')
  await logger.close()

  const nested = join(dir, 'nested.cjs')
  writeFileSync(nested, "module.exports = { config: { level: 'warn' } }\n")
  const error = t.throws(() => createLogger({ config: nested })) as ConfigError
  t.equal(error.option, 'config')
  t.match(error.message, `Cannot use the config file ${nested}: it exports an object named "config", but the options themselves must be the export`)

  const fn = join(dir, 'function.cjs')
  writeFileSync(fn, 'module.exports = () => ({})\n')
  t.match((t.throws(() => createLogger({ config: fn })) as Error).message, /must export \(or contain\) an options object, got function/)
})

t.test('a config that imports a missing module says so, naming the config file', async (t) => {
  const dir = scratch(t)
  writeFileSync(join(dir, 'pino.config.mjs'), "import './shared.mjs'\nexport default {}\n")
  const error = t.throws(() => createLogger({ config: join(dir, 'pino.config.mjs') })) as ConfigError
  t.equal(error.option, 'config')
  t.match(error.message, `Cannot load the config file ${join(dir, 'pino.config.mjs')}: `)
  t.match(error.message, /shared\.mjs/)
})

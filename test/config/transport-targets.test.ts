// The transport option is checked whole at createLogger, before the worker
// starts: every target's and pipeline's level (a misspelt one used to leave
// its target silently empty) and every target's module (named with where it
// sits, where it was looked for and, for daslog's, the transports it has).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { ConfigError, createLogger, Events, isDaslogError } from '../../src/index.js'

/** A temporary folder, removed when the test ends. */
function scratch (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'daslog-targets-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

/** Runs `fn` in `dir`, with no DASLOG_CONFIG. */
function inDir<T> (dir: string, fn: () => T): T {
  const cwd = process.cwd()
  const saved = process.env.DASLOG_CONFIG
  process.chdir(dir)
  delete process.env.DASLOG_CONFIG
  try {
    return fn()
  } finally {
    process.chdir(cwd)
    if (saved !== undefined) process.env.DASLOG_CONFIG = saved
  }
}

/** A pino/file target; `level` as given, right or wrong. */
const fileTarget = (destination: string, level?: unknown): { target: string, level?: string, options: { destination: string } } =>
  ({ target: 'pino/file', ...level === undefined ? {} : { level: level as string }, options: { destination } })

t.test('a misspelt target level fails createLogger, naming transport.targets[i].level and the nearest level', async (t) => {
  const dir = scratch(t)
  const error = t.throws(() => createLogger({
    config: false,
    transport: { targets: [fileTarget(join(dir, 'a.log')), fileTarget(join(dir, 'b.log'), 'eror')] }
  })) as ConfigError
  t.ok(isDaslogError(error))
  t.equal(error.code, 'DASLOG_CONFIG')
  t.equal(error.option, 'transport.targets[1].level')
  t.equal(error.file, undefined)
  t.equal(error.message, 'Invalid option "transport.targets[1].level": unknown level "eror" (did you mean "error"?); ' +
    'expected trace, debug, info, warn, error, fatal, silent or a level number (a target with an unknown level receives nothing)')
})

t.test('the same from a config file names the file; pipelines and a single target are checked too', async (t) => {
  const dir = scratch(t)
  const config = join(dir, 'pino.config.json')
  const out = join(dir, 'out.log')
  const wrong: Array<[unknown, string, RegExp]> = [
    [{ targets: [fileTarget(out), fileTarget(out, 'wran')] }, 'transport.targets[1].level', /unknown level "wran" \(did you mean "warn"\?\)/],
    [{ targets: [{ pipeline: [fileTarget(out)], level: 'infoo' }] }, 'transport.targets[0].level', /unknown level "infoo" \(did you mean "info"\?\)/],
    [{ pipeline: [fileTarget(out, 'debgu')] }, 'transport.pipeline[0].level', /unknown level "debgu" \(did you mean "debug"\?\)/],
    [{ ...fileTarget(out, 'fatl') }, 'transport.level', /unknown level "fatl" \(did you mean "fatal"\?\)/],
    [{ targets: [fileTarget(out, true)] }, 'transport', /"targets\[0\]\.level" must be a level name/]
  ]
  for (const [transport, option, problem] of wrong) {
    writeFileSync(config, JSON.stringify({ transport }))
    const error = t.throws(() => inDir(dir, () => createLogger())) as ConfigError
    t.equal(error.option, option)
    t.equal(error.file, config)
    t.match(error.message, `Invalid option "${option}" in ${config}: `)
    t.match(error.message, problem)
  }
})

t.test('custom levels are level names for targets too, and reach the worker', async (t) => {
  const dir = scratch(t)
  const misspelt = t.throws(() => createLogger({
    config: false, customLevels: { notice: 35 }, transport: { targets: [fileTarget(join(dir, 'x.log'), 'notise')] }
  })) as ConfigError
  t.equal(misspelt.option, 'transport.targets[0].level')
  t.match(misspelt.message, /unknown level "notise" \(did you mean "notice"\?\); expected trace, debug, info, warn, error, fatal, silent, notice or a level number/)

  // Before, pino's worker did not know "notice" and this target received nothing.
  const byName = join(dir, 'notice.log')
  const byNumber = join(dir, 'number.log')
  const logger = createLogger({
    config: false,
    customLevels: { notice: 35 },
    transport: { targets: [fileTarget(byName, 'notice'), fileTarget(byNumber, 45)] }
  })
  logger.info(Events.NOTIFICATION_SEND_STARTED)
  logger.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  logger.error(Events.NOTIFICATION_SEND_FAILED, { error: 'smtp down' })
  await logger.close()
  const events = (file: string): unknown[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { event: unknown }).event)
  t.same(events(byName), ['auth_login_failed', 'notification_send_failed'])
  t.same(events(byNumber), ['notification_send_failed'])
})

t.test('an unknown daslog transport names transport.targets[i], the file, and the transports daslog has', async (t) => {
  const dir = scratch(t)
  const config = join(dir, 'pino.config.mjs')
  writeFileSync(config, `export default {
  transport: {
    targets: [
      { target: 'pino/file', options: { destination: ${JSON.stringify(join(dir, 'app.log'))} } },
      { target: 'daslog/transports/csvv', options: { path: ${JSON.stringify(join(dir, 'audit.csv'))} } }
    ]
  }
}
`)
  // Thrown by createLogger itself, before any worker starts.
  const error = t.throws(() => inDir(dir, () => createLogger())) as ConfigError
  t.ok(error instanceof ConfigError)
  t.equal(error.code, 'DASLOG_CONFIG')
  t.equal(error.option, 'transport.targets[1]')
  t.equal(error.file, config)
  t.match(error.message, `Invalid option "transport.targets[1]" in ${config}: daslog has no transport "daslog/transports/csvv" (did you mean "daslog/transports/csv"?)`)
  const known = /its transports are ([a-z, ]+) \(daslog\/transports\/<name>\)/.exec(error.message)?.[1]?.split(', ')
  t.ok(known, 'lists the transports')
  for (const kind of ['csv', 'email', 'pretty', 'sms', 'webhook']) t.ok(known?.includes(kind), `lists ${kind}`)
  t.notOk(known?.includes('guard'), 'not the worker\'s internal guard')
})

t.test('an unknown package target names where it was looked for; pipelines name their step', async (t) => {
  const dir = scratch(t)
  const missing = t.throws(() => inDir(dir, () => createLogger({ config: false, transport: { target: 'pino-elasticsearh' } }))) as ConfigError
  t.equal(missing.option, 'transport')
  t.match(missing.message, 'Invalid option "transport": cannot find the transport target "pino-elasticsearh": looked for it as a package or a relative path from ')
  t.match(missing.message, `${dir} (the working directory)`)
  t.match(missing.message, /install the package, or give an absolute path/)

  const near = t.throws(() => inDir(dir, () => createLogger({ config: false, transport: { targets: [{ target: 'pino-prety' }] } }))) as ConfigError
  t.equal(near.option, 'transport.targets[0]')
  t.match(near.message, /"pino-prety" \(did you mean "pino-pretty"\?\)/)

  const bare = t.throws(() => inDir(dir, () => createLogger({ config: false, transport: { target: 'csv' } }))) as ConfigError
  t.match(bare.message, /"csv" \(did you mean "daslog\/transports\/csv"\?\)/)

  const step = t.throws(() => inDir(dir, () => createLogger({
    config: false, transport: { targets: [fileTarget(join(dir, 'a.log')), { pipeline: [fileTarget(join(dir, 'b.log')), { target: './no-such-step.js' }] }] }
  }))) as ConfigError
  t.equal(step.option, 'transport.targets[1].pipeline[1]')
  t.match(step.message, /cannot find the transport target "\.\/no-such-step\.js"/)
})

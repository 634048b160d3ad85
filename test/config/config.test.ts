import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import t from 'tap'
import { ConfigError, createLogger, Events, isDaslogError } from '../../src/index.js'
import { readLines, tempDir } from '../helpers.js'

/** Runs `fn` with the working directory set to `dir` and DASLOG_CONFIG cleared (or set). */
function inDir<T> (dir: string, fn: () => T, env?: string): T {
  const cwd = process.cwd()
  const saved = process.env.DASLOG_CONFIG
  process.chdir(dir)
  if (env === undefined) delete process.env.DASLOG_CONFIG
  else process.env.DASLOG_CONFIG = env
  try {
    return fn()
  } finally {
    process.chdir(cwd)
    if (saved === undefined) delete process.env.DASLOG_CONFIG
    else process.env.DASLOG_CONFIG = saved
  }
}

/** A destination that keeps every record written to it. */
function capture (): { stream: PassThrough, records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = []
  const stream = new PassThrough()
  stream.write = ((line: string) => { records.push(JSON.parse(line) as Record<string, unknown>); return true }) as never
  return { stream, records }
}

const formats: Array<[string, string]> = [
  ['pino.config.mjs', "export default { level: 'warn', base: { service: 'from-mjs' } }\n"],
  ['pino.config.js', "module.exports = { level: 'warn', base: { service: 'from-js' } }\n"],
  ['pino.config.cjs', "module.exports = { level: 'warn', base: { service: 'from-cjs' } }\n"],
  ['pino.config.json', '{ "level": "warn", "base": { "service": "from-json" } }\n']
]

for (const [name, text] of formats) {
  t.test(`createLogger() loads ${name} from the working directory, synchronously`, async (t) => {
    const dir = tempDir('config')
    writeFileSync(join(dir, name), text)
    const { stream, records } = capture()
    const logger = inDir(dir, () => createLogger({}, stream))
    logger.info(Events.NOTIFICATION_SEND_STARTED)
    logger.warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
    t.equal(records.length, 1, 'the level came from the file')
    t.equal(records[0]!.service, `from-${name.split('.').pop()!}`)
  })
}

t.test('the search order is mjs, js, cjs, json', async (t) => {
  const dir = tempDir('order')
  for (const [name, text] of formats.slice(1)) writeFileSync(join(dir, name), text)
  const { stream, records } = capture()
  inDir(dir, () => createLogger({}, stream)).warn(Events.AUTH_LOGIN_FAILED, { username: 'u', reason: 'r' })
  t.equal(records[0]!.service, 'from-js')
})

t.test('options in code override the file; config: false skips it', async (t) => {
  const dir = tempDir('override')
  writeFileSync(join(dir, 'pino.config.json'), '{ "level": "error", "base": { "service": "file" } }')
  const a = capture()
  inDir(dir, () => createLogger({ level: 'info' }, a.stream)).info(Events.NOTIFICATION_SEND_STARTED)
  t.equal(a.records[0]!.service, 'file', 'base from the file')
  t.equal(a.records.length, 1, 'level from code')
  const b = capture()
  inDir(dir, () => createLogger({ config: false }, b.stream)).info(Events.NOTIFICATION_SEND_STARTED)
  t.equal(b.records[0]!.service, undefined)
})

t.test('DASLOG_CONFIG and the config option name a file anywhere', async (t) => {
  const dir = tempDir('env')
  const file = join(tempDir('elsewhere'), 'logging.json')
  writeFileSync(file, '{ "base": { "service": "env" } }')
  const a = capture()
  inDir(dir, () => createLogger({}, a.stream), file).info(Events.NOTIFICATION_SEND_STARTED)
  t.equal(a.records[0]!.service, 'env')
  const b = capture()
  inDir(dir, () => createLogger({ config: file }, b.stream)).info(Events.NOTIFICATION_SEND_STARTED)
  t.equal(b.records[0]!.service, 'env')
  const missing = t.throws(() => inDir(dir, () => createLogger({}), join(dir, 'nope.json'))) as ConfigError
  t.equal(missing.option, 'DASLOG_CONFIG')
  t.match(missing.message, /nope\.json does not exist/)
})

t.test('transport.targets in the config file are opened by createLogger and ended by close()', async (t) => {
  const dir = tempDir('transport')
  const out = join(dir, 'logs', 'app.log')
  writeFileSync(join(dir, 'pino.config.mjs'), `export default {
  level: 'debug',
  transport: { targets: [{ target: 'pino/file', level: 'info', options: { destination: ${JSON.stringify(out)}, mkdir: true } }] }
}
`)
  const logger = inDir(dir, () => createLogger())
  logger.debug(Events.CACHE_LOOKUP_HIT, { key: 'below the target level' })
  logger.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  await logger.close()
  const lines = readLines(out)
  t.same(lines.map((l) => [l.level, l.event, l.user_id]), [[30, 'auth_login_success', 'u1']])
})

const wrong: Array<[string, string, string, RegExp]> = [
  ['an unknown option', '{ "levle": "info" }', 'levle', /unknown option \(did you mean "level"\?\)/],
  ['an unknown level', '{ "level": "verbose" }', 'level', /unknown level "verbose"/],
  ['a misspelt level', '{ "level": "wran" }', 'level', /unknown level "wran" \(did you mean "warn"\?\); expected trace, debug, info, warn, error, fatal, silent/],
  ['a mistyped option', '{ "base": "svc" }', 'base', /expected an object or null, got "svc"/],
  ['a bad transport', '{ "transport": { "targets": [] } }', 'transport', /"targets" must be a non-empty array/],
  ['both target and targets', '{ "transport": { "target": "pino/file", "targets": [{ "target": "pino/file" }] } }', 'transport', /exactly one of/],
  ['messageKey', '{ "messageKey": "message" }', 'messageKey', /writes the event name under "event"/],
  ['a nested config', '{ "config": "other.json" }', 'config', /cannot name another config/],
  ['processors that are not functions', '{ "processors": ["mask"] }', 'processors', /"processors\[0\]" is "mask", not a function/]
]

for (const [name, text, option, problem] of wrong) {
  t.test(`a config file with ${name} fails createLogger with a DaslogError naming the option and the file`, async (t) => {
    const dir = tempDir('wrong')
    writeFileSync(join(dir, 'pino.config.json'), text)
    const error = t.throws(() => inDir(dir, () => createLogger())) as ConfigError
    t.ok(isDaslogError(error))
    t.equal(error.code, 'DASLOG_CONFIG')
    t.equal(error.option, option)
    t.equal(error.file, join(dir, 'pino.config.json'))
    t.match(error.message, `Invalid option "${option}" in ${join(dir, 'pino.config.json')}: `)
    t.match(error.message, problem)
  })
}

t.test('a config file that cannot be loaded, or is not an object, is named', async (t) => {
  const dir = tempDir('broken')
  writeFileSync(join(dir, 'pino.config.mjs'), 'export default {{ nope')
  const syntax = t.throws(() => inDir(dir, () => createLogger())) as ConfigError
  t.equal(syntax.option, 'config')
  t.match(syntax.message, `Syntax error in the config file ${join(dir, 'pino.config.mjs')}:1:17: Unexpected token '{'`)
  const dir2 = tempDir('array')
  writeFileSync(join(dir2, 'pino.config.json'), '[1, 2]')
  const notObject = t.throws(() => inDir(dir2, () => createLogger())) as ConfigError
  t.match(notObject.message, /must export \(or contain\) an options object/)
})

t.test('wrong options in code fail the same way, without a file', async (t) => {
  const error = t.throws(() => createLogger({ config: false, timestamp: 'yes' } as never)) as ConfigError
  t.equal(error.option, 'timestamp')
  t.equal(error.file, undefined)
  t.equal(error.message, 'Invalid option "timestamp": expected true, false or a function, got "yes"')
  const both = t.throws(() => createLogger({ config: false, transport: { target: 'pino/file' } }, new PassThrough())) as ConfigError
  t.equal(both.option, 'transport')
  const unresolvable = t.throws(() => createLogger({ config: false, transport: { target: 'no-such-transport-package' } })) as ConfigError
  t.equal(unresolvable.option, 'transport')
  t.match(unresolvable.message, /cannot find the transport target "no-such-transport-package"/)
})

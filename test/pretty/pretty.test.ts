// Development mode: `pretty` prints records the pino-pretty way, the event
// name in bold, in the main thread or (beside a transport) in the worker.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { createLogger, Events } from 'daslog'
import { readCsv } from '../transports/helpers.js'
import { tempDir, textSink } from '../helpers.js'

const fixedTime = (): string => ',"time":1732300000000'
const utc = 'UTC:yyyy-mm-dd HH:MM:ss.l'

t.test('pretty: true prints time, level, the event name and one field per line, without pid and hostname', async (t) => {
  const out = textSink()
  const log = createLogger({ config: false, timestamp: fixedTime, pretty: { colorize: false, translateTime: utc } }, out.stream)
  log.bind('c-1').info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1', duration_ms: 45 })
  log.warn(Events.DATABASE_QUERY_SLOW, { table: 'orders', duration_ms: 900, rows_returned: 3 })
  await log.close()
  t.equal(out.text(), [
    '[2024-11-22 18:26:40.000] INFO: auth_login_success',
    '    correlation_id: "c-1"',
    '    user_id: "u1"',
    '    duration_ms: 45',
    '[2024-11-22 18:26:40.000] WARN: database_query_slow',
    '    table: "orders"',
    '    duration_ms: 900',
    '    rows_returned: 3',
    ''
  ].join('\n'))
})

t.test('colourized, the event name is bold inside the message colour, and the level has its colour', async (t) => {
  const out = textSink()
  const log = createLogger({ config: false, timestamp: fixedTime, pretty: { colorize: true, translateTime: utc, singleLine: true } }, out.stream)
  log.error(Events.PAYMENT_PROCESS_FAILED, { order_id: 'ORD-1', amount: 5, reason: 'declined' })
  await log.close()
  t.equal(out.text(), '[2024-11-22 18:26:40.000] \u001b[31mERROR\u001b[39m: \u001b[36m\u001b[1mpayment_process_failed\u001b[22m\u001b[39m \u001b[90m{"order_id":"ORD-1","amount":5,"reason":"declined"}\u001b[39m\n')
})

t.test('errors keep their stack, and terminal sequences (whole), bidi controls and line breaks in values are not passed on', async (t) => {
  const out = textSink()
  const log = createLogger({ config: false, timestamp: fixedTime, pretty: { colorize: false, translateTime: utc } }, out.stream)
  log.error(Events.PAYMENT_PROCESS_FAILED, {
    order_id: 'ORD-2',
    amount: 5,
    reason: 'declined\u001b[2J\u001b]0;owned\u0007 \u202eexe.txt\u2028next',
    'key\u009b': 'v',
    err: new Error('card\u001b[31m declined')
  })
  log.info('odd\nevent\u001b[1m' as never, { ok: true } as never)
  await log.close()
  const text = out.text()
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  t.notOk(/[\u001b\u0007\u009b\u202e\u2028]/.test(text), 'no escape, bell, CSI, bidi or separator character reaches the terminal')
  t.match(text, /^ {4}reason: "declined exe\.txtnext"$/m, 'the clear and the title sequence vanish whole: no [2J or ]0;owned left')
  t.match(text, /^ {4}key: "v"$/m)
  t.match(text, /^ {6}"message": "card declined",$/m)
  t.match(text, /^ {14}at .*pretty\.test\.ts/m, 'the stack is shown, one frame per line')
  t.match(text, /^\[2024-11-22 18:26:40\.000\] INFO: odd event$/m, 'a line break in an event name does not start a new line; a sequence vanishes')
})

t.test('beside a transport, pretty output comes from the worker and the transports still get every record', async (t) => {
  const dir = tempDir('pretty')
  const console = join(dir, 'console.txt')
  const log = createLogger({
    config: false,
    timestamp: fixedTime,
    transport: { target: 'daslog/transports/csv', options: { path: join(dir, 'audit.csv'), columns: ['event', 'correlation_id', 'user_id'] } },
    pretty: { colorize: false, translateTime: utc, ignore: ['pid', 'hostname', 'correlation_id'], destination: console }
  })
  log.bind('c-9').info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u9' })
  await log.close()
  t.equal(readFileSync(console, 'utf8'), '[2024-11-22 18:26:40.000] INFO: auth_login_success\n    user_id: "u9"\n')
  t.same(readCsv(join(dir, 'audit.csv')), [['event', 'correlation_id', 'user_id'], ['auth_login_success', 'c-9', 'u9']])
  t.same(log.stats().map(({ transport, name, delivered }) => [transport, name, delivered]).sort(), [['csv', 'csv ' + join(dir, 'audit.csv'), 1], ['pretty', 'daslog/transports/pretty', 1]], 'the pretty console is named pretty in stats')
})

t.test('pretty set in pino.config.mjs works like pretty given in code', async (t) => {
  const dir = tempDir('pretty-config')
  const console = join(dir, 'console.txt')
  const file = join(dir, 'pino.config.mjs')
  writeFileSync(file, `export default { pretty: { colorize: false, translateTime: false, destination: ${JSON.stringify(console)} } }\n`)
  const log = createLogger({ config: file, timestamp: fixedTime })
  log.info(Events.CACHE_LOOKUP_MISS, { key: 'user:1' })
  await log.close()
  t.equal(readFileSync(console, 'utf8'), '[1732300000000] INFO: cache_lookup_miss\n    key: "user:1"\n')
})

t.test('a wrong pretty option fails at setup, naming it (and the config file it came from)', async (t) => {
  t.throws(() => createLogger({ config: false, pretty: 'yes' as never }), { name: 'ConfigError', option: 'pretty', message: /true, false or pretty options/ })
  t.throws(() => createLogger({ config: false, pretty: { colour: true } as never }), { name: 'ConfigError', option: 'pretty.colour', message: /unknown option \(known: colorize, singleLine, translateTime, ignore, destination\)/ })
  t.throws(() => createLogger({ config: false, pretty: { colorize: 'auto' } as never }), { name: 'ConfigError', option: 'pretty.colorize', message: /expected true or false, got "auto"/ })
  t.throws(() => createLogger({ config: false, pretty: { destination: 3 } as never }), { name: 'ConfigError', option: 'pretty.destination', message: /expected 1 \(stdout\), 2 \(stderr\) or a file path, got 3/ })
  t.throws(() => createLogger({ config: false, pretty: { ignore: [''] } }), { name: 'ConfigError', option: 'pretty.ignore[0]' })
  t.throws(() => createLogger({ config: false, pretty: { translateTime: true } as never }), { name: 'ConfigError', option: 'pretty.translateTime' })
  const dir = tempDir('pretty-bad')
  const file = join(dir, 'pino.config.json')
  writeFileSync(file, '{ "pretty": { "singleLine": "yes" } }\n')
  t.throws(() => createLogger({ config: file }), { name: 'ConfigError', option: 'pretty.singleLine', file })
})

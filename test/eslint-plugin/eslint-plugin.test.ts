// daslog/eslint-plugin run by the real ESLint (flat config) on sample files.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ESLint, type Linter } from 'eslint'
import t from 'tap'
import tseslint from 'typescript-eslint'
import daslog from '../../src/eslint-plugin/index.js'
import { tempDir } from '../helpers.js'

const sample = `import { Events } from 'daslog'
import { log } from './log.js'

const loginEvent = Events.AUTH_LOGIN_SUCCESS
const started = 'auth_login_started'
const alias = loginEvent
let reassigned = Events.AUTH_LOGIN_SUCCESS
reassigned = Events.AUTH_LOGIN_FAILED
const step = 'login'

export function handle (name: string, ok: boolean): void {
  log.info(Events.AUTH_LOGIN_SUCCESS, { user_id: 'u1' })
  log.info(loginEvent, { user_id: 'u1' })
  log.info(alias, { user_id: 'u1' })
  log.info(started)
  log.info('auth_login_success', { user_id: 'u1' })
  log.info(\`auth_login_started\`)
  log.event(ok ? Events.AUTH_LOGIN_SUCCESS : 'auth_login_failed', {})
  log.info(Events.AUTH_LOGIN_SUCCESS as string)
  log.info(\`auth_\${step}_started\`)
  log.info('auth_' + step + '_started')
  log.info(name)
  log.info(reassigned)
  log.warn(Events[name as 'AUTH_LOGIN_FAILED'])
  log.bind('c').error(ok ? name : 'auth_login_failed')
  log.info('auth_login_sucess', { user_id: 'u1' })
  log.info(ok ? Events.AUTH_LOGIN_STARTED : 'auth_logn_started')
  log.timed('database_query', {}, () => 1)
  log.timed('database_qury', {}, () => 1)
  console.info(name)
  console.log('anything ' + name)
  log.info({ pino: 'style' }, 'message ' + name)
  log.info(name, 'pino style message')
  toast.error(name)
}
declare const toast: { error (message: string): void }
`

const dir = tempDir('eslint')
writeFileSync(join(dir, 'sample.ts'), sample)

async function lint (config: Linter.Config[], file = 'sample.ts'): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...config]
  })
  const [result] = await eslint.lintFiles([file])
  return result!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? 'fatal'}: ${m.message}`)
}

t.test('the recommended config reports dynamic names and names outside the catalog; console and pino-style calls are skipped', async (t) => {
  const dynamic = (why: string): string => `daslog/no-dynamic-event-name: The event name ${why}: log a catalog event, Events.X or a string literal (put the varying part in a field).`
  t.strictSame(await lint([daslog.configs.recommended]), [
    `20:12 ${dynamic('is built with a template literal')}`,
    `21:12 ${dynamic('is built by concatenation')}`,
    `22:12 ${dynamic('`name` is not known to hold a catalog event name (only a const initialized with Events.X or a string literal is)')}`,
    `23:12 ${dynamic('`reassigned` is not known to hold a catalog event name (only a const initialized with Events.X or a string literal is)')}`,
    `24:12 ${dynamic('is looked up at run time')}`,
    `25:23 ${dynamic('`name` is not known to hold a catalog event name (only a const initialized with Events.X or a string literal is)')}`,
    '26:12 daslog/known-event: "auth_login_sucess" is not an event of the catalog (daslog\'s default catalog) (did you mean "auth_login_success"?)',
    '27:12 daslog/known-event: "auth_logn_started" is not an event of the catalog (daslog\'s default catalog) (did you mean "auth_login_started"?)',
    '29:13 daslog/known-event: "database_qury" is not an operation of the catalog (daslog\'s default catalog): it has no "database_qury_started" event (did you mean "database_query"?)',
    // any object's level methods count (a bound logger has any name): the ignore option lists those that are not loggers
    `34:15 ${dynamic('`name` is not known to hold a catalog event name (only a const initialized with Events.X or a string literal is)')}`
  ])
})

t.test('known-event reads a catalog file the way the generator does (includes too); ignore and eventObjects are options', async (t) => {
  writeFileSync(join(dir, 'shared.yaml'), 'domains:\n  shop:\n    order:\n      statuses: [placed]\n')
  writeFileSync(join(dir, 'catalog.yaml'), 'include: [shared.yaml]\ndomains:\n  auth:\n    login:\n      statuses: [started, success, failed]\n')
  writeFileSync(join(dir, 'custom.ts'), `import { log, toast, E } from './log.js'
log.info('shop_order_placed')
log.info('shop_order_placd')
log.info('auth_login_started')
log.timed('auth_login', {}, () => 1)
log.info('database_query_started')
toast.error('whatever ' + 1)
log.info(E.SHOP_ORDER_PLACED)
`)
  const config: Linter.Config = {
    plugins: { daslog },
    rules: {
      'daslog/known-event': ['error', { catalog: 'catalog.yaml' }],
      'daslog/no-dynamic-event-name': ['error', { ignore: ['console', 'toast'], eventObjects: ['E'] }]
    }
  }
  t.strictSame(await lint([config], 'custom.ts'), [
    '3:10 daslog/known-event: "shop_order_placd" is not an event of the catalog (catalog.yaml) (did you mean "shop_order_placed"?)',
    '6:10 daslog/known-event: "database_query_started" is not an event of the catalog (catalog.yaml)'
  ])

  const typo: Linter.Config = { plugins: { daslog }, rules: { 'daslog/no-dynamic-event-name': ['error', { ignored: ['toast'] }] } }
  await t.rejects(lint([typo], 'custom.ts'), /should NOT have additional properties/, 'a misspelled option is an error')

  const missing: Linter.Config = { plugins: { daslog }, rules: { 'daslog/known-event': ['error', { catalog: 'nope.yaml' }] } }
  await t.rejects(lint([missing], 'custom.ts'), /nope\.yaml.*cannot read the catalog/)
  writeFileSync(join(dir, 'broken.yaml'), 'domains:\n  shop:\n    order:\n      statuses: [Placed]\n')
  const broken: Linter.Config = { plugins: { daslog }, rules: { 'daslog/known-event': ['error', { catalog: 'broken.yaml' }] } }
  await t.rejects(lint([broken], 'custom.ts'), /domains\.shop\.order\.statuses\.Placed/)
})

t.test('the plugin is a plain ESLint plugin object: meta, rules, configs', async (t) => {
  t.strictSame(Object.keys(daslog).sort(), ['configs', 'meta', 'rules'])
  t.strictSame(Object.keys(daslog.rules).sort(), ['known-event', 'no-dynamic-event-name'])
  t.equal(daslog.configs.recommended.plugins?.daslog, daslog)
  for (const rule of Object.values(daslog.rules)) {
    t.equal(rule.meta?.type, 'problem')
    t.ok(rule.meta?.docs?.description)
  }
})

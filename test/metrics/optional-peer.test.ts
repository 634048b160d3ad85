// prom-client is loaded only by daslog/metrics: a process where it cannot be found still imports daslog, and daslog/metrics says what to install.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { tempDir } from '../helpers.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

t.test('without prom-client: daslog imports and logs; daslog/metrics fails naming the package to install', async (t) => {
  const dir = tempDir('metrics-peer')
  // Module hooks that make prom-client unresolvable, as in an application that did not install it.
  writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve (specifier, context, next) {
  if (specifier === 'prom-client') throw Object.assign(new Error("Cannot find package 'prom-client'"), { code: 'ERR_MODULE_NOT_FOUND' })
  return next(specifier, context)
}
`)
  // ...for import (module hooks) and for require (daslog/metrics requires it: prom-client is CommonJS).
  writeFileSync(join(dir, 'no-prom-client.mjs'), `import Module, { register } from 'node:module'
register('./hooks.mjs', import.meta.url)
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  if (request === 'prom-client') throw Object.assign(new Error("Cannot find module 'prom-client'"), { code: 'MODULE_NOT_FOUND' })
  return resolveFilename.call(this, request, ...rest)
}
`)
  writeFileSync(join(dir, 'app.mjs'), `const { createLogger } = await import(${JSON.stringify(join(root, 'src/index.ts'))})
createLogger({ config: false }).info('auth_login_success', { user_id: 'u1', method: 'password' })
try {
  await import(${JSON.stringify(join(root, 'src/metrics/index.ts'))})
  console.log('metrics loaded')
} catch (error) {
  console.log(error.message)
}
`)
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(dir, 'no-prom-client.mjs'), join(dir, 'app.mjs')], { cwd: root, encoding: 'utf8', timeout: 60_000 })
  t.equal(child.status, 0, child.stderr)
  const [record, message] = child.stdout.trim().split('\n')
  t.match(JSON.parse(record!), { event: 'auth_login_success', user_id: 'u1' })
  t.equal(message, 'daslog/metrics needs prom-client (a dependency of daslog, 15 or later) and cannot find it: run `npm install prom-client`')
})

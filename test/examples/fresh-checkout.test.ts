// The README's first command on a checkout nothing has been built in: the
// demo (and every example that starts transports) runs from the sources
// under tsx, its transport worker included, with no dist/ to fall back on.
import { cpSync, existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'
import t from 'tap'
import { tempDir } from '../helpers.js'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** A copy of the checkout's sources without dist/, sharing node_modules. */
function unbuiltCheckout (): string {
  const dir = tempDir('unbuilt-checkout')
  for (const entry of ['package.json', 'tsconfig.json', 'src', 'transports', 'examples', 'catalog']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true })
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return dir
}

t.test('npx tsx examples/demo.ts on a checkout with no build: every destination gets its records', (t) => {
  const dir = unbuiltCheckout()
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const before = new Set(readdirSync(tmpdir()))
  const result = spawnSync(join(dir, 'node_modules', '.bin', 'tsx'), ['examples/demo.ts'], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
  t.equal(result.status, 0, `the demo exits 0${result.status === 0 ? '' : `: ${result.stderr.slice(-2_000)}`}`)
  t.notMatch(result.stderr, /run npm run build|is missing/, 'nothing asks for a build')
  t.match(result.stdout, /== Email: 3 mails accepted by the SMTP server/)
  for (const transport of ['csv', 'webhook', 'email', 'sms']) {
    t.match(result.stdout, new RegExp(`^ {2}${transport} .* dead-lettered 0, dropped 0$`, 'm'), `${transport} delivered everything`)
  }
  t.notOk(existsSync(join(dir, 'dist')), 'nothing was built')
  // Its own folder, as it printed it: examples.test.ts may be running another demo at the same time.
  const own = /files in (\S*daslog-demo-\w+)/.exec(result.stdout)?.[1]
  t.ok(own !== undefined && !before.has(basename(own)) && !existsSync(own), `the demo removed its temp folder (${String(own)})`)
  t.end()
})

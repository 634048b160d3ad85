import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import t from 'tap'
import { run } from '../../src/cli/run.js'

const here = new URL('.', import.meta.url).pathname
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

/** Runs tsc on a project; returns its diagnostics (empty when it compiles). */
function typecheck (project: string): string {
  try {
    execFileSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { encoding: 'utf8', stdio: 'pipe' })
    return ''
  } catch (error) {
    return (error as { stdout: string }).stdout
  }
}

t.test('the default catalog types calls: unknown names, wrong types, missing required fields do not compile; bound fields count, families compile without casts', async (t) => {
  t.equal(typecheck(join(here, 'tsconfig.json')), '', 'every @ts-expect-error in default-catalog.types.ts and guide.types.ts is an error, and nothing else is')
})

t.test("a user's generated catalog types their logger without casts; with include: [daslog], the default events too", async (t) => {
  const dir = join(here, 'user-catalog')
  rmSync(join(dir, 'generated'), { recursive: true, force: true })
  for (const [catalog, module] of [['catalog.yaml', 'events.ts'], ['with-daslog.yaml', 'with-daslog.ts']]) {
    const out: string[] = []
    t.equal(run(['generate', join(dir, catalog!), '--out', join(dir, 'generated', module!)], (l) => out.push(l), (l) => out.push(l)), 0, out.join('\n'))
  }
  t.equal(typecheck(join(dir, 'tsconfig.json')), '', 'every @ts-expect-error in app.types.ts and with-daslog.types.ts is an error, and nothing else is')
})

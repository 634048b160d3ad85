// Tests leave nothing in the OS temp dir: tempDir() folders go when the test process ends, however
// it ends, and no test makes one another way without removing it.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const here = fileURLToPath(new URL('.', import.meta.url))

t.test('a tempDir() folder is removed with what is in it when the process ends, even by an uncaught error', async (t) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'temp-dir-exit.ts')], { encoding: 'utf8', timeout: 30_000 })
  t.equal(result.status, 1)
  t.match(result.stderr, /a test that fails/)
  const dir = result.stdout.trim()
  t.match(dir, /daslog-exit-check-/)
  t.notOk(existsSync(dir), `${dir} is gone`)
})

t.test('every test file that makes a temp folder without tempDir() removes it', async (t) => {
  const files = (function walk (dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : []
    })
  })(here)
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const made = text.match(/mkdtempSync\(/g)?.length ?? 0
    const removed = text.match(/rmSync\(/g)?.length ?? 0
    if (made > 0 && !file.endsWith('helpers.ts')) t.ok(removed >= made, `${relative(here, file)}: ${made} mkdtempSync, ${removed} rmSync`)
  }
})

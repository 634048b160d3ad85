// Contenders that cannot share daslog's dependency tree (evlog: its optional
// peer react >= 19.2.8 conflicts with the test runner's) live in a folder of
// their own, bench/peers/, with its own package.json and lockfile at pinned
// versions. The root `npm ci` never installs it: the bench does, on demand,
// with `npm ci --prefix bench/peers`, and carries on without those peers
// (reported n/a with the reason) when the install fails.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runNpm } from './npm.js'

export const defaultPeersDir = fileURLToPath(new URL('./peers', import.meta.url))

/** The pinned peers of a folder: `{ name: version }` from its package.json. */
export function pinnedPeers (dir = defaultPeersDir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {}
}

/** Names of the pinned peers that are missing from the folder, or installed at another version. */
export function missingPeers (dir = defaultPeersDir) {
  return Object.entries(pinnedPeers(dir)).filter(([name, version]) => {
    const manifest = join(dir, 'node_modules', name, 'package.json')
    return !existsSync(manifest) || JSON.parse(readFileSync(manifest, 'utf8')).version !== version
  }).map(([name]) => name)
}

/**
 * Runs `npm ci` (or `npm install` without a lockfile) in the folder. Returns
 * `{ ok: true }` or `{ ok: false, reason }`, never throws.
 */
export function installPeers (dir = defaultPeersDir, { timeoutMs = 180_000 } = {}) {
  dir = resolve(dir)
  const command = existsSync(join(dir, 'package-lock.json')) ? 'ci' : 'install'
  const result = runNpm([command, '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error'], { timeoutMs })
  if (!result.ok) return result
  const still = missingPeers(dir)
  return still.length === 0 ? { ok: true } : { ok: false, reason: `npm ${command} left ${still.join(', ')} missing` }
}

/**
 * Installs the folder when a pinned peer is missing (saying so), then
 * imports every peer from it. Returns `{ modules: { name: namespace },
 * unavailable: { name: reason } }`; a failed install or import is a reason,
 * not an exception.
 */
export async function loadIsolatedPeers ({ dir = defaultPeersDir, say = () => {}, install = true } = {}) {
  dir = resolve(dir)
  const modules = {}
  const unavailable = {}
  const pinned = pinnedPeers(dir)
  const inside = relative(process.cwd(), dir)
  const shown = inside === '' || inside.startsWith('..') ? dir : inside
  const missing = missingPeers(dir)
  if (missing.length > 0) {
    const list = missing.map((name) => `${name}@${pinned[name]}`).join(', ')
    if (!install) {
      for (const name of missing) unavailable[name] = `not installed in ${shown} (npm ci --prefix ${shown})`
    } else {
      say(`Isolated peers: ${list} missing from ${shown}/node_modules, installing (npm ci --prefix ${shown}; not part of the root npm ci)...`)
      const started = Date.now()
      const result = installPeers(dir)
      if (result.ok) {
        say(`Isolated peers: installed in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
      } else {
        say(`Isolated peers: install failed, ${missing.join(', ')} shown as n/a: ${result.reason}`)
        for (const name of missing) unavailable[name] = `install of ${shown} failed: ${result.reason}`
      }
    }
  }
  const requireFromPeers = createRequire(join(dir, 'package.json'))
  for (const name of Object.keys(pinned)) {
    if (unavailable[name] !== undefined) continue
    try {
      const path = requireFromPeers.resolve(name)
      // Only from the folder itself, never a copy found further up (the root tree).
      if (!path.startsWith(join(realpathSync(dir), 'node_modules') + sep)) throw new Error(`resolved outside the folder, to ${path}`)
      modules[name] = await import(pathToFileURL(path).href)
    } catch (err) {
      unavailable[name] = `cannot load ${name} from ${shown}: ${err.message}`
    }
  }
  const loadedNames = Object.keys(modules)
  if (loadedNames.length > 0) say(`Isolated peers: ${loadedNames.map((name) => `${name}@${pinned[name]}`).join(', ')} from ${shown}.`)
  return { modules, unavailable }
}

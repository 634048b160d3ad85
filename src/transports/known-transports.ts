import { existsSync, realpathSync } from 'node:fs'
import { basename, dirname, extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { csvOptionsSpec } from '../../transports/csv/options.js'
import { webhookOptionsSpec } from '../../transports/webhook/options.js'
import { emailOptionsSpec } from '../../transports/email/options.js'
import { smsOptionsSpec } from '../../transports/sms/options.js'
import type { OptionsSpec } from '../../transports/shared/common-options.js'

/** The daslog transports whose options createLogger checks before the worker starts. */
const specs: Readonly<Record<string, OptionsSpec<unknown>>> = {
  csv: csvOptionsSpec as OptionsSpec<unknown>,
  webhook: webhookOptionsSpec as OptionsSpec<unknown>,
  email: emailOptionsSpec as OptionsSpec<unknown>,
  sms: smsOptionsSpec as OptionsSpec<unknown>
}

/** This package's `transports/` folder (built: dist/transports; from source: transports). */
const ownTransportsDir = realpathOrSelf(fileURLToPath(new URL('../../transports/', import.meta.url)))

/**
 * The daslog transport a pino target names, if any: `daslog/transports/csv`,
 * or a path to this package's own transport module.
 */
export function daslogTransportOf (target: string): OptionsSpec<unknown> | undefined {
  const kind = kindNamed(target)
  if (kind !== undefined) return specs[kind]
  let file = target.startsWith('file:') ? fileURLToPath(target) : target
  if (!file.startsWith('/')) return undefined
  file = realpathOrSelf(file)
  if (realpathOrSelf(dirname(file)) !== ownTransportsDir.replace(/\/$/, '')) return undefined
  return specs[basename(file, extname(file))]
}

/**
 * The built module of a `daslog/transports/<kind>` target that has no
 * options of its own to check here (`daslog/transports/pretty`), so that
 * under tsx, whose tsconfig paths map the name to a TypeScript source the
 * worker cannot load, the worker still gets JavaScript.
 */
export function builtDaslogTarget (target: string): string | undefined {
  const kind = kindNamed(target)
  return kind === undefined ? undefined : builtTransportFile(kind)
}

/** `csv` of `daslog/transports/csv`; undefined for any other name. */
function kindNamed (target: string): string | undefined {
  return /^daslog\/transports\/([a-z]+)$/.exec(target)?.[1]
}

/**
 * The built JavaScript module of a daslog transport, which the worker loads
 * directly: the worker has no TypeScript loader even when the application
 * runs under one (tsx maps `daslog/transports/*` to the sources), and a file
 * path does not depend on where pino resolves package names from.
 */
export function builtTransportFile (kind: string): string | undefined {
  try {
    return builtFile(`transports/${kind}.js`)
  } catch {
    return undefined
  }
}

/**
 * A built module of this package by its path under `dist/` (`transports/csv.js`):
 * from the built package, or from the sources (tsx) when `npm run build` made it.
 */
export function builtFile (path: string): string {
  // Built: dist/src/transports -> dist/. From the sources: src/transports -> dist/.
  const candidates = [`../../${path}`, `../../dist/${path}`].map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  const found = candidates.find((file) => existsSync(file))
  if (found === undefined) throw new Error(`daslog's built ${path} is missing (run npm run build)`)
  return found
}

function realpathOrSelf (path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

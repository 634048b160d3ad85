import { DaslogError } from '../../src/errors.js'

/**
 * The default export of a transport entry whose delivery is not built yet:
 * the package map and the build already resolve it, and starting it says
 * plainly that it does not exist yet instead of swallowing records.
 */
export function placeholderTransport (name: string): (options: unknown) => Promise<never> {
  return async function notYetAvailable () {
    throw new DaslogError('DASLOG_TRANSPORT', `daslog/transports/${name} is not available in this version of daslog yet`)
  }
}

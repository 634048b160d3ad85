import { placeholderTransport } from './shared/placeholder.js'

/**
 * The csv transport, loaded by pino as `daslog/transports/csv`.
 * Not built yet: starting it fails with a DaslogError that says so.
 */
export default placeholderTransport('csv')

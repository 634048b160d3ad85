import { placeholderTransport } from './shared/placeholder.js'

/**
 * The email transport, loaded by pino as `daslog/transports/email`.
 * Not built yet: starting it fails with a DaslogError that says so.
 */
export default placeholderTransport('email')

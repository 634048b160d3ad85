import { placeholderTransport } from './shared/placeholder.js'

/**
 * The webhook transport, loaded by pino as `daslog/transports/webhook`.
 * Not built yet: starting it fails with a DaslogError that says so.
 */
export default placeholderTransport('webhook')

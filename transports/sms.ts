import { placeholderTransport } from './shared/placeholder.js'

/**
 * The sms transport, loaded by pino as `daslog/transports/sms`.
 * Not built yet: starting it fails with a DaslogError that says so.
 */
export default placeholderTransport('sms')

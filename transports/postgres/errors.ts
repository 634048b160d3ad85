import { pgErrorText } from '../../src/store/pg-error.js'
import { isDaslogError } from '../../src/errors.js'
import { DeliveryError } from '../shared/retry.js'

/** SQLSTATE classes worth another try: connection exceptions (08), insufficient resources (53), operator intervention such as admin shutdown 57P01 (57), transaction rollbacks such as deadlocks (40). */
const retryableClasses = new Set(['08', '53', '57', '40'])

/**
 * A failed insert or migration as a DeliveryError: retryable while the
 * database is away (connection refused or reset, a backend terminated, too
 * many connections, a timeout), not when the data or the SQL is at fault
 * (22xxx data exceptions, 23xxx, 42xxx), which a retry would only repeat.
 * The message never includes `error.client` (it holds the password).
 */
export function deliveryErrorOf (error: unknown, step: string): DeliveryError {
  if (isDaslogError(error)) return new DeliveryError(`${step}: ${error.message}`, { retryable: false })
  const code = (error as { code?: unknown } | undefined)?.code
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
  const retryable = sqlState === undefined || retryableClasses.has(sqlState.slice(0, 2))
  return new DeliveryError(`${step}: ${pgErrorText(error)}`, { retryable })
}

import { DaslogError } from '../errors.js'

/**
 * A wrong argument of the audit store (`openStore`, `query`, `insert`):
 * `option` names it (`filter.from`, `table`), the message says what is wrong.
 */
export class StoreError extends DaslogError {
  override name = 'StoreError'
  readonly option: string

  constructor (option: string, problem: string, options?: { cause?: unknown }) {
    super('DASLOG_STORE', `Invalid ${option}: ${problem}`, options)
    this.option = option
  }
}

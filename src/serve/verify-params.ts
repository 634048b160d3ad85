import type { VerifyOptions } from '../store/verify.js'
import { parseLink } from '../store/verify.js'
import { StoreError } from '../store/store-error.js'
import { badRequest } from './http-error.js'

/** The parameters `GET /chain/verify` reads: the `daslog verify` options of the same names. */
const verifyParams = ['chain_key', 'from', 'expect'] as const

/**
 * `GET /chain/verify`'s query string as the store's verify options:
 * `chain_key` (default: the collector's chain), `from` (a seq) and `expect`
 * (`seq:hash`). Anything else, or a parameter given twice, is a 400 naming it.
 */
export function verifyOptionsOf (params: URLSearchParams, defaultKey: string): VerifyOptions & { chainKey: string } {
  for (const name of new Set(params.keys())) {
    if (!(verifyParams as readonly string[]).includes(name)) throw badRequest('invalid_parameter', `${JSON.stringify(name)}: not a parameter of /chain/verify; it takes ${verifyParams.join(', ')}`)
    const count = params.getAll(name).length
    if (count > 1) throw badRequest('invalid_parameter', `${name}: given ${count} times; give it once`)
  }
  const chainKey = params.get('chain_key') ?? defaultKey
  if (chainKey === '' || chainKey.length > 200) throw badRequest('invalid_parameter', `chain_key: expected a non-empty key of at most 200 characters, got ${JSON.stringify(chainKey.length > 200 ? `${chainKey.slice(0, 20)}...` : chainKey)}`)
  const from = params.get('from') ?? undefined
  if (from !== undefined && !/^[1-9]\d*$/.test(from)) throw badRequest('invalid_parameter', `from: expected a seq (a whole number from 1), got ${JSON.stringify(from)}`)
  const expectText = params.get('expect') ?? undefined
  let expect: VerifyOptions['expect']
  try {
    expect = expectText === undefined ? undefined : parseLink(expectText, 'expect')
  } catch (error) {
    throw error instanceof StoreError ? badRequest('invalid_parameter', `expect: ${error.message.slice(error.message.indexOf(': ') + 2)}`) : error
  }
  if (expect !== undefined && from !== undefined && BigInt(expect.seq) < BigInt(from)) throw badRequest('invalid_parameter', `expect: the anchored seq ${expect.seq} is before from=${from}`)
  return { chainKey, ...(from === undefined ? {} : { from }), ...(expect === undefined ? {} : { expect }) }
}

import { parseArgs } from 'node:util'
import { ConfigError } from '../errors.js'
import { defaultChainKey } from '../store/chain.js'
import { defaultTable } from '../store/schema.js'
import { parseLink } from '../store/verify.js'
import { storeArgOptions, storeOf } from './store-source.js'

export const verifyUsage = `  daslog verify [--db <url> | --data <folder>] [--table <name>] [--chain-key <key>]
                [--from <seq>] [--expect <seq>:<hash>] [--head]
      Walk the audit table's hash chain: exit 0 saying how many rows verified, or 1 naming the
      first event whose hash, link or seq is wrong. --head prints the head as <seq>:<hash> (keep
      it outside the database); --expect checks a head kept earlier: the chain must reach it
      with that hash, so nothing up to it was rewritten.`

/** `daslog verify`: checks a chain (src/store/verify.ts) and says where it breaks. */
export async function verifyCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...storeArgOptions,
      'chain-key': { type: 'string' },
      from: { type: 'string' },
      expect: { type: 'string' },
      head: { type: 'boolean' }
    }
  })
  if (values.from !== undefined && !/^[1-9]\d*$/.test(values.from)) throw new ConfigError('--from', `expected a seq (a whole number from 1), got ${JSON.stringify(values.from)}`)
  const expect = values.expect === undefined ? undefined : parseLink(values.expect, '--expect')
  const store = await storeOf(values)
  let result
  try {
    result = await store.verify({
      ...(values['chain-key'] === undefined ? {} : { chainKey: values['chain-key'] }),
      ...(values.from === undefined ? {} : { from: values.from }),
      ...(expect === undefined ? {} : { expect })
    })
  } finally {
    await store.close()
  }
  const chain = `chain "${values['chain-key'] ?? defaultChainKey}" of ${values.table ?? defaultTable}`
  if (!result.ok) {
    const { event_id: id, seq, reason } = result.problem
    err(`daslog verify: ${chain} is broken at ${id === null ? 'its start' : `event ${id} (seq ${seq ?? '?'})`}: ${reason}; ${result.rows} row(s) verified before it`)
    return 1
  }
  const summary = `daslog verify: ${result.rows} row(s) verified in ${chain}${result.head === null ? ' (empty)' : `, head ${result.head.seq}:${result.head.hash}`}${expect === undefined ? '' : `, through the anchored seq ${expect.seq}`}`
  if (values.head === true) {
    out(result.head === null ? `0:${'0'.repeat(64)}` : `${result.head.seq}:${result.head.hash}`)
    err(summary)
  } else {
    out(summary)
  }
  return 0
}

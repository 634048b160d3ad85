import { parseArgs } from 'node:util'
import { ConfigError } from '../errors.js'
import { defaultChainKey } from '../store/chain.js'
import { defaultTable } from '../store/schema.js'
import { parseLink, type VerifyResult } from '../store/verify.js'
import { serverArgOptions, serverTarget, serverVerify } from './server-source.js'
import { storeArgOptions, storeOf } from './store-source.js'

export const verifyUsage = `  daslog verify [--server <url> [--token <t>] | --db <url> | --data <folder>] [--table <name>]
                [--chain-key <key>] [--from <seq>] [--expect <seq>:<hash>] [--head]
      Walk the audit table's hash chain: exit 0 saying how many rows verified, or 1 naming the
      first event whose hash, link or seq is wrong. --head prints the head as <seq>:<hash> (keep
      it outside the database); --expect checks a head kept earlier: the chain must reach it
      with that hash, so nothing up to it was rewritten. --server asks a collector started with
      --chain (its table, and its chain unless --chain-key); --token defaults to DASLOG_TOKEN.`

/** `daslog verify`: checks a chain (src/store/verify.ts), in a database or through a collector, and says where it breaks. */
export async function verifyCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...storeArgOptions,
      ...serverArgOptions,
      'chain-key': { type: 'string' },
      from: { type: 'string' },
      expect: { type: 'string' },
      head: { type: 'boolean' }
    }
  })
  const chainKey = values['chain-key']
  if (chainKey !== undefined && (chainKey === '' || chainKey.length > 200)) throw new ConfigError('--chain-key', `expected a non-empty key of at most 200 characters, got ${JSON.stringify(chainKey)}`)
  if (values.from !== undefined && !/^[1-9]\d*$/.test(values.from)) throw new ConfigError('--from', `expected a seq (a whole number from 1), got ${JSON.stringify(values.from)}`)
  const expect = values.expect === undefined ? undefined : parseLink(values.expect, '--expect')
  if (expect !== undefined && values.from !== undefined && BigInt(expect.seq) < BigInt(values.from)) throw new ConfigError('--expect', `the anchored seq ${expect.seq} is before --from ${values.from}`)
  const options = {
    ...(chainKey === undefined ? {} : { chainKey }),
    ...(values.from === undefined ? {} : { from: values.from })
  }
  const target = serverTarget(values)
  let result: VerifyResult
  let chain: string
  if (target === undefined) {
    const store = await storeOf(values)
    try {
      result = await store.verify({ ...options, ...(expect === undefined ? {} : { expect }) })
    } finally {
      await store.close()
    }
    chain = `chain "${chainKey ?? defaultChainKey}" of ${values.table ?? defaultTable}`
  } else {
    const answer = await serverVerify(target, { ...options, ...(expect === undefined ? {} : { expect: `${expect.seq}:${expect.hash}` }) })
    result = answer
    chain = `chain "${answer.chain_key}" of ${answer.table}`
  }
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

import { inConfigFile } from '../config/option-checks.js'
import { batching } from './batching.js'
import { masking } from './masking.js'
import { sampling } from './sampling.js'
import type { Processor } from './types.js'

/** The built-ins given as data (in a config file or in code), in the chain's fixed order. */
const builtins = [
  ['sampling', sampling],
  ['masking', masking],
  ['batching', batching]
] as const

/**
 * Builds the chain: `sampling`, `masking`, `batching` given as data, then the
 * `processors` given as functions. A problem in data read from a config file
 * is reported with that file's name.
 */
export function buildProcessorChain (
  options: Readonly<Record<string, unknown>>,
  processors: readonly Processor[],
  fileOf: (option: string) => string | undefined
): Processor[] {
  const chain: Processor[] = []
  for (const [option, build] of builtins) {
    const data = options[option]
    if (data === undefined) continue
    chain.push(inConfigFile(fileOf(option), () => build(data as never)))
  }
  return [...chain, ...processors]
}

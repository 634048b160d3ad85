import { ConfigError } from '../errors.js'
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
    try {
      chain.push(build(data as never))
    } catch (err) {
      const file = fileOf(option)
      if (err instanceof ConfigError && file !== undefined && err.file === undefined) {
        throw new ConfigError(err.option, err.problem, file, { cause: err })
      }
      throw err
    }
  }
  return [...chain, ...processors]
}

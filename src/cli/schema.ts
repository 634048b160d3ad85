import { jsonSchemaCommand, jsonSchemaUsage } from './schema-json.js'

export const schemaUsage = jsonSchemaUsage

/**
 * `daslog schema`. Only the JSON Schema of the records (`--json-schema`) is
 * here so far; the SQL DDL of the audit store comes with the store.
 */
export function schemaCommand (args: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  if (args.includes('--json-schema')) return jsonSchemaCommand(args, out, err)
  err(`daslog schema: the SQL DDL of the audit store is not available yet; give --json-schema for the JSON Schema of the records\n${jsonSchemaUsage}`)
  return 2
}

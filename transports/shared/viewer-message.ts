/**
 * The key log viewers read a record's message from: pino's default
 * `messageKey`, which `pino-pretty`, pino's own tools and most log viewers
 * show first. daslog writes the event name there as well as under `event`,
 * so `node app.js | npx pino-pretty` shows it on the header line.
 */
export const viewerMessageKey = 'msg'

/**
 * A parsed line as daslog's record: without the `msg` that only repeats
 * `event` for log viewers (so CSV `data`, webhook bodies and test records
 * hold each value once). A `msg` that says anything else is kept.
 */
export function withoutViewerMessage<R extends Record<string, unknown>> (record: R): R {
  if (record[viewerMessageKey] !== undefined && record[viewerMessageKey] === record.event) delete record[viewerMessageKey]
  return record
}

/**
 * Characters no destination should carry raw: the C0 controls other than tab,
 * line feed and carriage return (ESC starts ANSI and OSC sequences), DEL, the
 * C1 controls (U+009B is a CSI on some terminals) and the bidirectional
 * controls (they reorder what a reader sees: U+061C, U+200E/F,
 * U+202A-U+202E, U+2066-U+2069). Each destination removes them from the text
 * it writes.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const unsafeCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/** The text without the characters above. */
export function withoutUnsafeCharacters (text: string): string {
  return text.replace(unsafeCharacters, '')
}

/** For text a terminal shows: `unsafeCharacters` and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const unsafeForTerminal = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

/** For terminal text that must stay on one line: the same, and every line break and tab. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const unsafeOnOneLine = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g

/**
 * What JSON text may carry raw that a terminal, an editor or a line reader
 * acts on: DEL, C1, the bidi controls and U+2028/U+2029 (JSON.stringify
 * already escapes C0). In JSON text they can only sit inside strings, where
 * `\uXXXX` means the same.
 */
const rawInJson = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/
const rawInJsonAll = new RegExp(rawInJson.source, 'g')

function unicodeEscape (char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}

/** JSON text with the characters above written as `\uXXXX` escapes: the same value, safe to show. */
export function escapeRawInJson (json: string): string {
  return rawInJson.test(json) ? json.replace(rawInJsonAll, unicodeEscape) : json
}

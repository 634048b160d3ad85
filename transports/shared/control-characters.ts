import { Buffer } from 'node:buffer'

/**
 * Characters no destination should carry raw: the C0 controls other than tab,
 * line feed and carriage return (ESC starts ANSI and OSC sequences), DEL, the
 * C1 controls (U+009B is a CSI on some terminals) and the bidirectional
 * controls (they reorder what a reader sees: U+061C, U+200E/F,
 * U+202A-U+202E, U+2066-U+2069). Each destination removes them from the text
 * it writes, with the terminal sequences below removed whole.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const unsafeCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/**
 * Terminal control sequences (ECMA-48), removed whole so that no `[31m`
 * is left behind when the ESC goes:
 * - CSI: ESC [ or U+009B, parameter bytes (0x30-0x3F), intermediate bytes
 *   (0x20-0x2F), one final byte (0x40-0x7E): colours, cursor moves, clears;
 * - control strings: OSC (ESC ] or U+009D: titles, hyperlinks), DCS (ESC P,
 *   U+0090), SOS (ESC X, U+0098), PM (ESC ^, U+009E), APC (ESC _, U+009F),
 *   printable text up to BEL, ESC \ or ST (U+009C);
 * - any other escape: ESC, intermediate bytes, one final byte (0x30-0x7E):
 *   ESC 7, ESC c, ESC ( B, ESC \ ...
 * A sequence that does not end as these say (no final byte, a control string
 * without its terminator) is not removed whole: its ESC (or C1 introducer)
 * goes with the unsafe characters and the rest stays visible, so a stray
 * introducer cannot hide the text after it. Every class after an introducer
 * excludes the introducers, so a failed match rescans nothing: linear time,
 * even on a 50 MB string.
 */
const csi = String.raw`(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]`
const csi8 = String.raw`\u009b[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]`
const stringEnd = String.raw`[^\u0000-\u001f\u007f-\u009f]*(?:\u0007|\u001b\\|\u009c)`
const controlString = String.raw`(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])` + stringEnd
const controlString8 = String.raw`[\u0090\u0098\u009d\u009e\u009f]` + stringEnd
const otherEscape = String.raw`\u001b[\u0020-\u002f]*[\u0030-\u007e]`
const terminalSequenceSource = `${csi}|${controlString}|${otherEscape}`

/** The terminal sequences above. */
export const terminalSequences = new RegExp(terminalSequenceSource, 'g')

/**
 * The sequences introduced by an 8-bit C1 control only (U+009B, U+009D, ...):
 * for JSON text, where an ESC is already written `\u001b` but a C1 control
 * is raw; applied to string values before they are serialized.
 */
export const eightBitSequences = new RegExp(`${csi8}|${controlString8}`, 'g')

/** A terminal sequence or an unsafe character: what every destination removes from the text it writes. */
export const unsafeText = new RegExp(`${terminalSequenceSource}|${unsafeCharacters.source}`, 'g')

/** The text without terminal sequences and the characters above. */
export function withoutUnsafeCharacters (text: string): string {
  return text.replace(unsafeText, '')
}

/** Line breaks `unsafeCharacters` would delete: VT, FF and NEL (U+0085). */
const deletedBreaks = /[\v\f\u0085]/g
/** Tab and the line breaks left after that: CR, LF, U+2028, U+2029. */
const breakRuns = /[\t\n\r\u2028\u2029]+/g

/**
 * Text that must stay one line (a mail subject): terminal sequences and
 * unsafe characters removed, and each run of line-like characters (tab, CR,
 * LF, VT, FF, NEL, U+2028, U+2029) one space, so words do not run together.
 * (Three passes rather than one `(?:...)+` of everything: a repeated group
 * over millions of sequences overflows the regex engine's stack.)
 */
export function onOneLine (text: string): string {
  return text.replace(deletedBreaks, '\n').replace(unsafeText, '').replace(breakRuns, ' ')
}

/** For text a terminal shows: terminal sequences, `unsafeCharacters` and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const unsafeForTerminal = new RegExp(`${terminalSequenceSource}|${/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/.source}`, 'g')

/** For terminal text that must stay on one line: the same, and every line break and tab. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const unsafeOnOneLine = new RegExp(`${terminalSequenceSource}|${/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/.source}`, 'g')

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

/**
 * JSON text with the characters above written as `\uXXXX` escapes: the same
 * value, safe to show. Most text is ASCII without DEL (it holds no U+007F,
 * and its UTF-8 length is its length) and has nothing to escape: these two
 * native checks cost about a quarter of the regex scan (callgrind: 790
 * against 2,980 instructions on a 230-character log line), which only text
 * with other characters still pays. The search for DEL comes first: on a
 * line pino just concatenated it flattens the string the cheap way, and the
 * UTF-8 length then reads a flat string (callgrind, masking scenario: 170
 * instructions a line fewer than the other order). `Buffer` is imported: the
 * global one is a getter, called on every use (about 100 instructions a line).
 */
export function escapeRawInJson (json: string): string {
  if (json.indexOf('\u007f') === -1 && Buffer.byteLength(json) === json.length) return json
  return rawInJson.test(json) ? json.replace(rawInJsonAll, unicodeEscape) : json
}

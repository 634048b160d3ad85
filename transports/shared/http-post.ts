import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/** What an endpoint answered. */
export interface HttpAnswer {
  readonly status: number
  readonly statusText: string
  readonly headers: IncomingHttpHeaders
  /** The start of the body (at most 2 KiB): enough for an error's text, never a whole page in a dead letter. */
  readonly body: string
}

/** A request that got no answer: the connection failed, broke, or the time ran out. */
export class HttpRequestError extends Error {
  override name = 'HttpRequestError'
  /** True once the whole request was handed to the network: the endpoint may have acted on it. */
  readonly sent: boolean
  readonly code: string | undefined

  constructor (message: string, options: { sent: boolean, code?: string | undefined, cause?: unknown }) {
    super(message, { cause: options.cause })
    this.sent = options.sent
    this.code = options.code
  }
}

const maxBodyKept = 2048

/** Keep-alive connections for one destination, at most `sockets` at once; `verifyTls: false` accepts any certificate. */
export function httpAgent (url: URL, sockets: number, verifyTls: boolean): HttpAgent {
  const options = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets }
  return url.protocol === 'https:' ? new HttpsAgent({ ...options, rejectUnauthorized: verifyTls }) : new HttpAgent(options)
}

/**
 * POSTs a body and resolves with the answer, whatever its status; rejects
 * with an HttpRequestError when there is none within `timeoutMs` (connecting,
 * sending and answering all count). Redirects are not followed.
 */
export function httpPost (url: URL, body: Buffer, headers: Readonly<Record<string, string>>, agent: HttpAgent, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let sent = false
    let settled = false
    const fail = (error: Error & { code?: string }, message: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      reject(new HttpRequestError(message, { sent, code: error.code, cause: error }))
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const request = send(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      const chunks: Buffer[] = []
      let kept = 0
      response.on('data', (chunk: Buffer) => {
        if (kept >= maxBodyKept) return
        chunks.push(chunk)
        kept += chunk.length
      })
      response.on('error', (error) => { fail(error, `the answer broke off: ${error.message}`) })
      response.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          headers: response.headers,
          body: Buffer.concat(chunks).subarray(0, maxBodyKept).toString('utf8')
        })
      })
    })
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })
      fail(error, error.message)
      request.destroy(error)
    }, timeoutMs)
    request.on('finish', () => { sent = true })
    request.on('error', (error: Error & { code?: string }) => { fail(error, error.message) })
    request.end(body)
  })
}

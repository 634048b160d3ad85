import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/** What an endpoint answered. */
export interface HttpAnswer {
  readonly status: number
  readonly statusText: string
  readonly headers: IncomingHttpHeaders
  /** The start of the body (at most 2 KiB unless asked for more) as UTF-8 text: enough for an error's text, never a whole page in a dead letter. */
  readonly body: string
  /** The same start of the body as bytes, for answers that are not text (an OTLP protobuf answer). */
  readonly bytes: Buffer
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

const defaultBodyKept = 2048

/** An endpoint as stats and failure reports name it: no credentials, no query (it may carry a token). */
export function endpointName (url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}

/** Keep-alive connections for one destination, at most `sockets` at once; `verifyTls: false` accepts any certificate. */
export function httpAgent (url: URL, sockets: number, verifyTls: boolean): HttpAgent {
  const options = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets }
  return url.protocol === 'https:' ? new HttpsAgent({ ...options, rejectUnauthorized: verifyTls }) : new HttpAgent(options)
}

/**
 * POSTs a body and resolves with the answer, whatever its status; rejects
 * with an HttpRequestError when there is none within `timeoutMs` (connecting,
 * sending and answering all count). Redirects are not followed. At most
 * `keepBytes` of the answer's body are kept.
 */
export function httpPost (url: URL, body: Buffer, headers: Readonly<Record<string, string>>, agent: HttpAgent, timeoutMs: number, keepBytes = defaultBodyKept): Promise<HttpAnswer> {
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
        if (kept >= keepBytes) return
        chunks.push(chunk)
        kept += chunk.length
      })
      response.on('error', (error) => { fail(error, `the answer broke off: ${error.message}`) })
      response.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        const bytes = Buffer.concat(chunks).subarray(0, keepBytes)
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          headers: response.headers,
          body: bytes.toString('utf8'),
          bytes
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

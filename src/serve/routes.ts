import type { IncomingMessage, ServerResponse } from 'node:http'
import { pgErrorText } from '../store/pg-error.js'
import type { Store } from '../store/store.js'
import { StoreError } from '../store/store-error.js'
import type { authenticator } from './auth.js'
import { readBody } from './body.js'
import { HttpError } from './http-error.js'
import { recordsOf } from './ingest.js'
import type { ServeMetrics } from './metrics.js'
import type { ServeOptions } from './options.js'
import { filterOf, parameterError } from './query-params.js'
import type { StoreState } from './store-state.js'
import { verifyOptionsOf } from './verify-params.js'

interface RouteContext {
  readonly state: StoreState
  readonly auth: ReturnType<typeof authenticator>
  readonly metrics: ServeMetrics
  /** `WWW-Authenticate` of a 401: the schemes configured. */
  readonly challenge: string
  /** Why an ingest source (the AMQP consumer) cannot take events now, or undefined. */
  readonly sourceDown: () => string | undefined
  /** The chain the collector stores its records in (undefined: unchained), and its table as named. */
  readonly chain: ServeOptions['chain']
  readonly table: string
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, context: RouteContext) => Promise<void>

/** Route, its methods and their handlers. */
const routes: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  '/events': { POST: postEvents, GET: getEvents },
  '/events/query': { GET: getEvents },
  '/chain/verify': { GET: verifyChain },
  '/healthz': { GET: health },
  '/metrics': { GET: metricsText }
}

/** The request handler of a collector: routing, 404/405, auth, errors as `{ error: { code, message } }`, and a count of every answer. */
export function requestHandler (context: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://collector')
    const methods = routes[url.pathname]
    const route = methods === undefined ? 'other' : url.pathname
    const method = req.method ?? 'GET'
    res.once('finish', () => { context.metrics.request(route, method, res.statusCode) })
    const handler = methods?.[method === 'HEAD' ? 'GET' : method]
    let work: Promise<void>
    if (methods === undefined) {
      work = Promise.reject(new HttpError(404, 'not_found', `no route ${url.pathname}; the routes are ${Object.keys(routes).join(', ')}`))
    } else if (handler === undefined) {
      res.setHeader('allow', Object.keys(methods).join(', '))
      work = Promise.reject(new HttpError(405, 'method_not_allowed', `${url.pathname} answers ${Object.keys(methods).join(', ')}, not ${method}`))
    } else {
      work = handler(req, res, url, context)
    }
    work.catch((error: unknown) => {
      if (error instanceof HttpError && error.status === 401 && context.challenge !== '') res.setHeader('www-authenticate', context.challenge)
      answerError(res, error)
    })
  }
}

function send (res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) })
  res.end(json)
}

function answerError (res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const known = error instanceof HttpError
    ? error
    : error instanceof StoreError
      ? new HttpError(400, 'invalid_record', error.message)
      : new HttpError(503, 'store_unavailable', `the store failed: ${pgErrorText(error)}`)
  if (known.status === 413) res.setHeader('connection', 'close')
  send(res, known.status, { error: { code: known.code, message: known.message } })
}

function storeOf (state: StoreState): Store {
  const store = state.store()
  if (store === undefined) throw new HttpError(503, 'store_unavailable', state.reason())
  return store
}

/** Lets the request in, or throws 401; a signature is checked on the raw body, before it is parsed. */
function authorize (req: IncomingMessage, context: RouteContext, body?: Buffer): void {
  const credentials = context.auth.credentials(req.headers)
  if (credentials === 'granted') return
  if (credentials === 'signed' && body !== undefined) {
    const problem = context.auth.verifySignature(req.headers, body)
    if (problem === undefined) return
    throw new HttpError(401, 'unauthorized', `the webhook signature is refused: ${problem}`)
  }
  throw new HttpError(401, 'unauthorized', 'give Authorization: Bearer <token>, basic auth, or a Standard Webhooks signature')
}

async function postEvents (req: IncomingMessage, res: ServerResponse, _url: URL, context: RouteContext): Promise<void> {
  if (context.auth.credentials(req.headers) === 'denied') authorize(req, context)
  const body = await readBody(req)
  if (body === 'too-large') throw new HttpError(413, 'body_too_large', 'the body is over 1 MiB; send fewer records per request')
  authorize(req, context, body)
  const records = recordsOf(body)
  const store = storeOf(context.state)
  const result = await context.metrics.timed('insert', () => store.insert(records))
  context.metrics.stored(result.inserted, result.duplicates)
  send(res, 201, { accepted: result.inserted, duplicates: result.duplicates, event_ids: records.map((record) => record.event_id) })
}

async function getEvents (req: IncomingMessage, res: ServerResponse, url: URL, context: RouteContext): Promise<void> {
  authorize(req, context)
  const filter = filterOf(url.searchParams)
  const store = storeOf(context.state)
  try {
    send(res, 200, await context.metrics.timed('query', () => store.query(filter)))
  } catch (error) {
    throw parameterError(error) ?? error
  }
}

/**
 * Walks the hash chain (the store's streaming verify) and answers what it
 * found: `200 { ok: true, rows, head, chain_key, table }` or `200 { ok: false,
 * rows, problem, chain_key, table }`; a broken chain is an answer, not an
 * error. A collector started without --chain answers 409: rows it stores are
 * outside any chain, and "0 rows verified" would read as a pass.
 */
async function verifyChain (req: IncomingMessage, res: ServerResponse, url: URL, context: RouteContext): Promise<void> {
  authorize(req, context)
  if (context.chain === undefined) throw new HttpError(409, 'chain_not_enabled', 'this collector stores records without a hash chain: start it with --chain (DASLOG_CHAIN=true), or verify a chain other writers keep in its table with daslog verify --db')
  const options = verifyOptionsOf(url.searchParams, context.chain.key)
  const store = storeOf(context.state)
  const result = await context.metrics.timed('verify', () => store.verify(options))
  send(res, 200, { ...result, chain_key: options.chainKey, table: context.table })
}

/** How long /healthz waits for the store's answer (a server that vanished without a reset never answers). */
const pingTimeoutMs = 3000

async function health (_req: IncomingMessage, res: ServerResponse, _url: URL, context: RouteContext): Promise<void> {
  const store = context.state.store()
  if (store === undefined) {
    send(res, 503, { status: 'unavailable', reason: context.state.reason() })
    return
  }
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`no answer within ${pingTimeoutMs / 1000} s`)) }, pingTimeoutMs) })
  try {
    await Promise.race([context.metrics.timed('ping', () => store.query({ limit: 1 })), late])
    const down = context.sourceDown()
    if (down === undefined) send(res, 200, { status: 'ok' })
    else send(res, 503, { status: 'unavailable', reason: down })
  } catch (error) {
    send(res, 503, { status: 'unavailable', reason: `the store is unreachable: ${pgErrorText(error)}` })
  } finally {
    clearTimeout(timer)
  }
}

async function metricsText (req: IncomingMessage, res: ServerResponse, _url: URL, context: RouteContext): Promise<void> {
  await context.metrics.handler(req, res)
}

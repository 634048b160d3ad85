/** An answer other than success: the status, and the `{ error: { code, message } }` body naming what is wrong. */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor (readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

/** A 400 about one parameter or field. */
export const badRequest = (code: string, message: string): HttpError => new HttpError(400, code, message)

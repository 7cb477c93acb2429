/**
 * Errors of the HTTP API: every failure answers `{ "error": { "code", "message" } }` with a 4xx status (500 only
 * for a bug or a store failure). Route handlers throw an {@link ApiError}; the app's error handler renders it, and
 * maps the runtime's own errors (permission denied, key format) to their status.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PermissionDeniedError } from '@dispersy/community';
import { KeyFormatError } from '@dispersy/crypto';
import { DispersyError } from '@dispersy/interfaces';

/** The error body. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** A failure with an HTTP status and a stable code. */
export class ApiError extends DispersyError {
  /** The HTTP status. */
  readonly status: ContentfulStatusCode;

  /**
   * @param status HTTP status (4xx, or 5xx)
   * @param code stable SCREAMING_SNAKE code (`BAD_REQUEST`, `NOT_FOUND`, …)
   * @param message one line for the client
   */
  constructor(status: ContentfulStatusCode, code: string, message: string) {
    super(code, message);
    this.status = status;
  }
}

/**
 * A 400 BAD_REQUEST.
 * @param message what is wrong with the request
 * @returns the error to throw
 * @example `throw badRequest('limit must be 1..1000')`
 */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BAD_REQUEST', message);
}

/**
 * Renders an error body.
 * @param c the request context
 * @param status the status
 * @param code the code
 * @param message the message
 * @returns the JSON response
 */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, status);
}

/**
 * Runs a runtime call whose argument checks throw `TypeError` / `RangeError` for input the client chose (an
 * unknown meta, a payload the codec refuses), turning those into a 400 with `code`.
 * @param code the code of the 400
 * @param fn the call
 * @returns what `fn` returns
 * @throws ApiError 400 for a TypeError / RangeError; anything else as thrown
 * @example `const message = clientInput('BAD_PAYLOAD', () => community.create(meta, payload));`
 */
export function clientInput<T>(code: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) throw new ApiError(400, code, err.message);
    throw err;
  }
}

/**
 * Maps anything a handler threw to the error response: {@link ApiError} as is; `PermissionDeniedError` → 403;
 * `KeyFormatError` → 400; anything else → 500 INTERNAL (logged by the caller).
 * @param c the request context
 * @param err what was thrown
 * @returns the response and whether it is an internal error
 */
export function toErrorResponse(c: Context, err: unknown): { response: Response; internal: boolean } {
  if (err instanceof ApiError) return { response: errorResponse(c, err.status, err.code, err.message), internal: false };
  if (err instanceof PermissionDeniedError) return { response: errorResponse(c, 403, err.code, err.message), internal: false };
  if (KeyFormatError.is(err)) return { response: errorResponse(c, 400, 'BAD_KEY', err.message), internal: false };
  const message = DispersyError.is(err) ? `${err.code}: ${err.message}` : 'internal error';
  return { response: errorResponse(c, 500, 'INTERNAL', message), internal: true };
}

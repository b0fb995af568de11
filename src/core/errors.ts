/**
 * The error catalogue: every error Flowbridge raises as an exception carries
 * one of these codes. Expected validation failures are not exceptions: they
 * are findings (see `flow/finding.ts`), whose codes are Meta's.
 *
 * Each entry says what went wrong in general; the instance message says
 * what, where and how to fix it. Messages never contain secrets.
 * @module
 */

/** Code → default HTTP status, whether retrying can help, and a one-line meaning. */
export const errorCatalogue = {
  USAGE_INVALID: { status: 400, retryable: false, summary: 'A command or request was called with wrong arguments.' },
  IO_READ_FAILED: { status: 500, retryable: false, summary: 'A file could not be read.' },
  FLOW_JSON_UNPARSEABLE: { status: 400, retryable: false, summary: 'The text is not JSON.' },
  FLOW_JSON_INVALID: { status: 422, retryable: false, summary: 'The Flow JSON breaks one of Meta\'s rules.' },
  CRYPTO_KEY_INVALID: { status: 500, retryable: false, summary: 'A key could not be loaded (wrong format or passphrase).' },
  CRYPTO_DECRYPT_FAILED: { status: 421, retryable: false, summary: 'A request could not be decrypted with any known private key.' },
  CRYPTO_BODY_MALFORMED: { status: 400, retryable: false, summary: 'An encrypted request body is not of the documented shape.' },
  MEDIA_REJECTED: { status: 400, retryable: false, summary: 'An uploaded media file failed its hash, HMAC, padding or size check.' },
  RUNTIME_INVALID_STATE: { status: 409, retryable: false, summary: 'A flow runtime operation is not possible in its current state.' },
  ENDPOINT_FAILED: { status: 502, retryable: true, summary: 'A flow endpoint did not answer usably.' },
  CONFIG_INVALID: { status: 500, retryable: false, summary: 'The configuration or project file is invalid; the server does not start.' },
  NOT_FOUND: { status: 404, retryable: false, summary: 'The flow, delivery, broadcast or record named does not exist.' },
  CONFLICT: { status: 409, retryable: false, summary: 'The request conflicts with the current state (e.g. not published, already cancelled).' },
  GRAPH_API_ERROR: { status: 502, retryable: false, summary: 'The Graph API (or a provider mirroring it) refused or failed a request.' },
} as const satisfies Record<string, { status: number; retryable: boolean; summary: string }>;

/** Every error code Flowbridge uses. */
export type ErrorCode = keyof typeof errorCatalogue;

/** The one exception type of the project. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown; status?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? errorCatalogue[code].status;
    this.retryable = errorCatalogue[code].retryable;
    this.details = options.details;
  }
}

/** True when `error` is an AppError, optionally of the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

import type { ValidationIssue } from '@tally/proto';

/**
 * Every error the API returns, by stable code. The one error handler (plugins/app/error-handler.ts) turns an
 * AppError into proto's ApiError body; anything else becomes a 500 whose detail stays in the log.
 */
export const ERRORS = {
  TALLY_BAD_REQUEST: 400,
  TALLY_VALIDATION: 400,
  TALLY_INVALID_CONFIG: 400,
  TALLY_UNAUTHORIZED: 401,
  TALLY_INVALID_CREDENTIALS: 401,
  TALLY_TOKEN_REUSED: 401,
  /** The refresh token is unknown, revoked or expired: the UI sends the user to sign in. */
  TALLY_SESSION_ENDED: 401,
  TALLY_FORBIDDEN: 403,
  TALLY_NOT_FOUND: 404,
  TALLY_CONFLICT: 409,
  /** The change would leave the organisation without an enabled owner. */
  TALLY_LAST_OWNER: 409,
  TALLY_SETUP_DONE: 409,
  TALLY_SETUP_TOKEN_INVALID: 401,
  TALLY_CLAIM_CODE_INVALID: 400,
  TALLY_PAYLOAD_TOO_LARGE: 413,
  TALLY_UNSUPPORTED_MEDIA_TYPE: 415,
  TALLY_RATE_LIMITED: 429,
  TALLY_LOGIN_LOCKED: 429,
  TALLY_INTERNAL: 500,
  TALLY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERRORS[code];
  }
}

/** 404 for anything the caller may not see: another organisation's rows look exactly like missing ones. */
export function notFound(what: string): AppError {
  return new AppError('TALLY_NOT_FOUND', `${what} not found`);
}

export function forbidden(message = 'your role does not allow this'): AppError {
  return new AppError('TALLY_FORBIDDEN', message);
}

export function unauthorized(message = 'sign in first: send Authorization: Bearer <accessToken>'): AppError {
  return new AppError('TALLY_UNAUTHORIZED', message);
}

/**
 * Every expected failure has a stable code. The server maps codes to HTTP status here,
 * the client maps them to words in client/ui/error-words.ts.
 */
export const ERROR_STATUS = {
  'bad-request': 400,
  'invalid-json': 400,
  'invalid-body': 400,
  'unknown-collection': 404,
  // no such organization, or one where the person has no reach: the same answer (DESIGN §5)
  'organization-not-found': 404,
  'not-found': 404,
  'payload-too-large': 413,
  unauthenticated: 401,
  forbidden: 403,
  'origin-not-allowed': 403,
  'rate-limited': 429,
  'schema-outdated': 426,
  'invalid-code': 400,
  'invalid-link': 400,
  'org-exists': 409,
  // push refusals (per row, inside a 200 answer)
  'invalid-document': 422,
  'not-allowed': 403,
  'immutable-field': 422,
  'server-only': 403,
  'last-org-admin': 409,
  'member-exists': 409,
  'unknown-reference': 422,
  'holder-has-license': 409,
  'contact-exists': 409,
  'contact-in-use': 409,
  'not-duplicates': 409,
  // a database invariant the checks above did not foresee: the whole request is refused
  'constraint-violated': 409,
  // two transactions waited on each other (PostgreSQL broke the tie): nothing was written, try again
  busy: 503,
  // claims, DESIGN §6
  'invitation-not-found': 404,
  'invitation-disabled': 410,
  'invitation-expired': 410,
  'domain-not-allowed': 403,
  'revoked-cannot-reclaim': 403,
  'invitation-used-up': 409,
  'no-assets-left': 409,
  // activation, DESIGN §14: the /activate page
  'device-code-not-found': 404,
  'device-code-expired': 410,
  'device-code-decided': 409,
  'no-license': 403,
  'license-choice-required': 409,
  'license-not-held': 403,
  // activation: a product's Bearer token (RFC 6750) and what renewal refuses
  'invalid-token': 401,
  'license-revoked': 403,
  'license-expired': 403,
  'account-disabled': 403,
  'machine-limit': 403,
  'machine-mismatch': 403,
  'machine-not-found': 404,
  // an email retried after it was sent (DESIGN §7)
  'already-sent': 409,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiError {
  error: ErrorCode;
  message: string;
  details?: unknown;
}

/** A domain function's answer: a value, or an expected failure with its code. */
export type Result<T, C extends ErrorCode = ErrorCode> =
  | { ok: true; value: T }
  | { ok: false; code: C; message: string; details?: unknown };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <C extends ErrorCode>(code: C, message: string, details?: unknown) =>
  ({ ok: false, code, message, details }) as const;

/**
 * OAuth error answers of the /oauth endpoints: RFC 6749 §5.2, and RFC 8628 §3.5 for the device
 * grant's polling. They are OAuth's words, not Allot's error codes (shared/errors.ts).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token';

export interface OAuthError {
  error: OAuthErrorCode;
  error_description: string;
}

/** Every error answers 400, but an unknown client 401 (RFC 6749 §5.2). */
export const oauthStatus = (e: OAuthError): 400 | 401 => (e.error === 'invalid_client' ? 401 : 400);

export const oauthError = (error: OAuthErrorCode, error_description: string): { ok: false; error: OAuthError } => ({
  ok: false,
  error: { error, error_description },
});

// RFC 6749 §4.1.2.1: the only error codes kept from an authorization response whose state is not verified.
const AUTHORIZATION_ERROR_CODES = [
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
];

/** What may be kept of an error response on the callback. */
export interface AuthorizationErrorShown {
  /** The provider's code (cut to 100 characters) when the state matched; else one of RFC 6749's, or `server_error`. */
  code: string;
  /** The provider's `error_description`, cut to 300 characters, only when the state matched. */
  text?: string;
  /** The provider's `error_uri`, only when the state matched. */
  uri?: string;
}

/**
 * What an adapter may keep of an error response on the callback (RFC 6749 §4.1.2.1): the provider's own code, text
 * and link only when `trusted` (the state is this sign-in's), so that nobody can put their text on an app's error
 * with a crafted link; otherwise a documented code, or `server_error`.
 */
export function authorizationErrorShown(error: string, description: unknown, uri: unknown, trusted: boolean): AuthorizationErrorShown {
  const shown: AuthorizationErrorShown = {
    code: trusted ? error.slice(0, 100) : AUTHORIZATION_ERROR_CODES.includes(error) ? error : 'server_error',
  };
  if (trusted && typeof description === 'string' && description.trim()) shown.text = description.slice(0, 300);
  if (trusted && typeof uri === 'string') shown.uri = uri;
  return shown;
}

/**
 * A parameter is malformed or past a documented limit (a map UID with a comma, an account id that is not a UUID,
 * `offset + length` past 10,000...). Thrown before any request is sent.
 */
export class NadeoInputError extends TypeError {
  /** The parameter at fault. */
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super(`nadeo-api: ${parameter} ${message}`);
    this.name = 'NadeoInputError';
    this.parameter = parameter;
  }
}

/**
 * The endpoint refuses the kind of account the client logs in with (a dedicated server account's token on player
 * zones, account records or club records). Thrown before the request is sent; the message names the account to use.
 */
export class AccountTypeError extends Error {
  /** The endpoint, as `METHOD /path`. */
  readonly endpoint: string;
  /** The account kind the endpoint needs. */
  readonly needs: 'service';

  constructor(endpoint: string) {
    super(
      `nadeo-api: ${endpoint} refuses dedicated server accounts (Nadeo answers 401 or an error): log in with a service account instead (create one at https://www.trackmania.com/player/service-account, then use its login and password)`,
    );
    this.name = 'AccountTypeError';
    this.endpoint = endpoint;
    this.needs = 'service';
  }
}

/**
 * Nadeo answered with one of its error codes: a bare array of strings (`["club_Join:error-notAllowed"]`) or an object
 * with a `code` (`{"code": "C-AA-00-03", ...}`), whatever the HTTP status.
 */
export class NadeoApiError extends Error {
  /** Nadeo's first code: `club:error-notFound`, `C-AA-00-03`... */
  readonly code: string;
  /** Every code of a string-array answer. */
  readonly codes: string[];
  /** The HTTP status of the answer (200 when Nadeo put the error in a success). */
  readonly upstreamStatus: number;
  /** The endpoint, as `METHOD /path` (never with its query). */
  readonly endpoint: string;

  constructor(endpoint: string, codes: string[], upstreamStatus: number, options?: { cause?: unknown }) {
    super(`nadeo-api: ${endpoint} answered ${codes.join(', ')} (HTTP ${upstreamStatus})`, options);
    this.name = 'NadeoApiError';
    this.code = codes[0] ?? 'unknown';
    this.codes = codes;
    this.upstreamStatus = upstreamStatus;
    this.endpoint = endpoint;
  }
}

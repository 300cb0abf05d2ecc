/**
 * The audience is not one of Nadeo's (`NadeoServices`, `NadeoLiveServices`, `OAuth2` and their aliases), or a token
 * is used for an audience it was not issued for. nadeo-api: `AudienceError(ValueError)`.
 */
export class AudienceError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'AudienceError';
  }
}

/** A required parameter is missing or empty (a `User-Agent`, a login...). nadeo-api: `ParameterError(ValueError)`. */
export class ParameterError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

/** A token of the wrong type, or an operation the token does not support. nadeo-api: `UsageError(ValueError)`. */
export class UsageError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * `NadeoClient` did not send a request: too many are already waiting for their turn (`code: 'EQUEUEFULL'`, past
 * `maxQueue`), or its turn is further away than `maxQueueWait` (`code: 'EQUEUEWAIT'`). Nothing reached Nadeo.
 */
export class QueueError extends Error {
  /** `EQUEUEFULL` (past `maxQueue`) or `EQUEUEWAIT` (its turn past `maxQueueWait`). */
  readonly code: 'EQUEUEFULL' | 'EQUEUEWAIT';

  constructor(code: 'EQUEUEFULL' | 'EQUEUEWAIT', message: string) {
    super(message);
    this.name = 'QueueError';
    this.code = code;
  }
}

import { ProviderError } from '@maniapass/http';

/**
 * Openplanet was not asked: it failed moments ago and is left alone for a while (`holding_off`, the strategy's
 * `holdOff` option), or this process already has `maxConcurrent` validations in flight (`busy`). A `ProviderError`
 * (status 500, the player did nothing wrong); answer it with a 503 and `Retry-After: retryAfter`.
 */
export class OpenplanetUnavailableError extends ProviderError {
  /** Why Openplanet was not asked. */
  readonly reason: 'holding_off' | 'busy';
  /** Seconds after which asking again makes sense. */
  readonly retryAfter: number;

  constructor(reason: 'holding_off' | 'busy', retryAfter: number, limit = 0) {
    super(
      reason === 'busy'
        ? `openplanet: ${limit} validations already in flight; this one was not sent`
        : `openplanet: Openplanet failed moments ago; not asked again for ${retryAfter} s`,
      undefined,
      { provider: 'openplanet' },
    );
    this.name = 'OpenplanetUnavailableError';
    this.reason = reason;
    this.retryAfter = Math.max(1, retryAfter);
  }
}

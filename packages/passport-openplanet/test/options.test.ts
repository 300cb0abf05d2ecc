// Options are checked when the strategy is constructed, with errors that name the option.
import { Strategy, VALIDATE_URL, DEFAULT_MAX_TOKEN_AGE } from 'passport-openplanet';

const verify = async () => false as const;
const make = (options: Record<string, unknown>) => () => new Strategy(options as never, verify);

describe('options', () => {
  it('requires the secret, naming it', () => {
    for (const secret of [undefined, '', '   ', 42, null])
      expect(make({ secret })).toThrow(new TypeError('openplanet strategy requires the secret option (a non-empty string)'));
    expect(() => new Strategy(undefined as never, verify)).toThrow('requires an options object');
    expect(() => new Strategy({ secret: 's' }, undefined as never)).toThrow('requires a verify function');
  });

  it('has the documented defaults; name overrides the strategy name', () => {
    const strategy = new Strategy({ secret: 's' }, verify);
    expect([strategy.name, strategy.validateURL, strategy.maxTokenAge]).toEqual(['openplanet', VALIDATE_URL, DEFAULT_MAX_TOKEN_AGE]);
    expect(VALIDATE_URL).toBe('https://api.openplanet.dev/auth/validate');
    expect(DEFAULT_MAX_TOKEN_AGE).toBe(300);
    expect(new Strategy({ secret: 's', name: 'plugin' }, verify).name).toBe('plugin');
  });

  it('checks validateURL as an absolute http(s) URL', () => {
    for (const validateURL of ['/auth/validate', 'ftp://openplanet.dev/x', 'not a url', 42]) {
      expect(make({ secret: 's', validateURL })).toThrow(/openplanet strategy: validateURL must be an absolute http\(s\) URL/);
    }
    expect(new Strategy({ secret: 's', validateURL: 'http://127.0.0.1:9/auth/validate' }, verify).validateURL).toBe('http://127.0.0.1:9/auth/validate');
  });

  it('checks the other options, naming each', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ timeout: 0 }, /timeout must be a positive number/],
      [{ timeout: Infinity }, /timeout must be a positive number/],
      [{ timeout: '10' }, /timeout must be a positive number/],
      [{ maxTokenAge: -1 }, /maxTokenAge must be a positive number/],
      [{ fetch: 'fetch' }, /fetch must be a function/],
      [{ userAgent: '' }, /userAgent must be a non-empty string/],
      [{ userAgent: 'my-service\r\nX-Injected: 1' }, /header User-Agent must be a string an HTTP header can carry/],
      [{ getToken: 'token' }, /getToken must be a function/],
      [{ tokenFields: 'token' }, /tokenFields must be an array/],
      [{ tokenFields: [''] }, /tokenFields must be an array/],
      [{ authScheme: 'Open planet' }, /authScheme must be an HTTP auth scheme/],
      [{ cache: 'yes' }, /cache must be an object or false/],
      [{ cache: { max: 0 } }, /cache.max must be a positive number/],
      [{ cache: { maxAge: -5 } }, /cache.maxAge must be a positive number/],
    ];
    for (const [options, message] of cases) expect(make({ secret: 's', ...options })).toThrow(message);
    expect(make({ secret: 's', maxTokenAge: Infinity, authScheme: false, cache: false, tokenFields: ['openplanetToken', 'token'] })).not.toThrow();
  });
});

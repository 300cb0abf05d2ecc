// The two families of error classes (the HTTP layer's on Error, the core's on passport-oauth2's) are one error
// each, and loading the core changes nothing of the HTTP layer's classes.
import * as http from '@maniapass/http';
import * as core from '@maniapass/oauth2-core';
import passportOAuth2 from 'passport-oauth2';

it("leaves the HTTP layer's classes on Error: nothing is re-parented when the core loads", () => {
  expect(Object.getPrototypeOf(http.TokenError.prototype)).toBe(Error.prototype);
  expect(Object.getPrototypeOf(http.ProviderError.prototype)).toBe(Error.prototype);
  expect(Object.getPrototypeOf(core.TokenError.prototype)).toBe(passportOAuth2.TokenError.prototype);
  expect(Object.getPrototypeOf(core.ProviderError.prototype)).toBe(passportOAuth2.InternalOAuthError.prototype);
});

it("makes every error a strategy throws an instance of passport-oauth2's classes, and of both families", () => {
  const token = new core.TokenError('Code expired', 'invalid_grant');
  const provider = new core.ProviderError('down', undefined, { code: 'ETIMEDOUT' });
  expect(token).toBeInstanceOf(passportOAuth2.TokenError);
  expect(provider).toBeInstanceOf(passportOAuth2.InternalOAuthError);
  for (const err of [token, new http.TokenError('x')]) {
    expect(err).toBeInstanceOf(http.TokenError);
    expect(err).toBeInstanceOf(core.TokenError);
    expect(err).not.toBeInstanceOf(http.ProviderError);
  }
  for (const err of [provider, new http.ProviderError('x')]) {
    expect(err).toBeInstanceOf(http.ProviderError);
    expect(err).toBeInstanceOf(core.ProviderError);
    expect(err).not.toBeInstanceOf(core.TokenError);
  }
  // The HTTP layer's own errors load no passport: they are not passport-oauth2's.
  expect(new http.ProviderError('x')).not.toBeInstanceOf(passportOAuth2.InternalOAuthError);
  expect([core.TokenError.name, core.ProviderError.name, http.TokenError.name, http.ProviderError.name]).toEqual([
    'TokenError',
    'ProviderError',
    'TokenError',
    'ProviderError',
  ]);
});

it('keeps instanceof of a subclass its own', () => {
  class ExpiredCode extends core.TokenError {}
  expect(new ExpiredCode('x')).toBeInstanceOf(ExpiredCode);
  expect(new ExpiredCode('x')).toBeInstanceOf(http.TokenError);
  expect(new core.TokenError('x')).not.toBeInstanceOf(ExpiredCode);
});

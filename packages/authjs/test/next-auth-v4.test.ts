// The NextAuth 4 providers without NextAuth (next-auth 4 itself runs in next-auth-v4.release.test.ts): options checked
// when the provider is made, no secret in the object NextAuth's debug log prints, the state check of the exchange, and
// the message a v5 provider gives where @auth/core is missing.
import { inspect } from 'node:util';
import type { FetchFunction } from '@maniapass/http';
import { ManiaPlanetV4, ToornamentV4, TrackMageV4, TrackmaniaV4 } from '@maniapass/authjs';

const CLIENT = { clientId: 'client-id', clientSecret: 'client-secret-value-0123456789' };
const API_KEY = 'toornament-api-key-0123456789';

/** A fetch that records each call and answers nothing: the exchange must not reach it. */
function recordingFetch(): { fetch: FetchFunction; calls: string[] } {
  const calls: string[] = [];
  const fetch: FetchFunction = async (input) => {
    calls.push(input);
    throw new Error('no call expected');
  };
  return { fetch, calls };
}

describe('the NextAuth 4 providers', () => {
  it('refuse bad options when made, naming the provider and the option', () => {
    expect(() => TrackmaniaV4({ clientSecret: 'x' })).toThrow(/^trackmania NextAuth 4 provider requires the clientID option/);
    expect(() => ManiaPlanetV4({ ...CLIENT, scope: 'basic nope' })).toThrow(/nope/);
    expect(() => TrackMageV4({ ...CLIENT, timeout: -1 })).toThrow(/^trackmage NextAuth 4 provider: timeout must be a positive number/);
    expect(() => ToornamentV4(CLIENT)).toThrow(/apiKey/);
  });

  it('are NextAuth 4 OAuth providers with state, no PKCE, an explicit scope and the endpoints of the definition', () => {
    const provider = TrackmaniaV4({ ...CLIENT, authorizationURL: 'http://127.0.0.1:1/authorize', tokenURL: 'http://127.0.0.1:1/token' });
    expect(provider).toMatchObject({
      id: 'trackmania',
      name: 'Trackmania',
      type: 'oauth',
      clientId: 'client-id',
      checks: ['state'],
      idToken: false,
      authorization: { url: 'http://127.0.0.1:1/authorize', params: { scope: '' } },
      token: { url: 'http://127.0.0.1:1/token' },
    });
    expect(ManiaPlanetV4({ ...CLIENT, scope: ['basic', 'email'] }).authorization.params.scope).toBe('basic email');
  });

  it('carry neither the client secret nor the API key in the object NextAuth logs', () => {
    const provider = ToornamentV4({ ...CLIENT, apiKey: API_KEY });
    const shown = `${inspect(provider, { depth: Infinity, showHidden: true })}\n${JSON.stringify(provider)}`;
    expect(shown).not.toContain(CLIENT.clientSecret);
    expect(shown).not.toContain(API_KEY);
  });

  it.each([
    ['another state', 'state-from-elsewhere-0123456789', 'state-of-this-sign-in-0123456789'],
    ['no state in the callback', undefined, 'state-of-this-sign-in-0123456789'],
    ['no state kept', 'state-of-this-sign-in-0123456789', undefined],
  ])('refuse a callback with %s before any token request', async (_case, received, kept) => {
    const { fetch, calls } = recordingFetch();
    const provider = TrackmaniaV4({ ...CLIENT, fetch });
    const exchange = provider.token.request({ params: { code: 'code', state: received }, checks: { state: kept }, provider: { callbackUrl: 'http://app/cb' } });
    await expect(exchange).rejects.toThrow(/^trackmania NextAuth 4 provider: the callback's state is not the one this sign-in was started with$/);
    expect(calls).toEqual([]);
  });
});

describe('an Auth.js v5 provider without @auth/core installed', () => {
  it('says so and names the NextAuth 4 providers', () => {
    jest.isolateModules(() => {
      jest.doMock('@auth/core', () => {
        throw Object.assign(new Error("Cannot find module '@auth/core'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Trackmania } = require('@maniapass/authjs') as typeof import('@maniapass/authjs');
      expect(() => Trackmania(CLIENT)).toThrow(/need @auth\/core; for NextAuth 4, use TrackmaniaV4\(\)/);
    });
  });
});

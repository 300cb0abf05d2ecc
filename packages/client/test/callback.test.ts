// The callback's query is the browser's: only a single, string code with this sign-in's state gets through, and a
// provider's error text is shown only when the state proves the error answers this sign-in.
import fc from 'fast-check';
import { CallbackError, trackmaniaClient } from '@maniapass/client';

const client = trackmaniaClient({ clientID: 'id', clientSecret: 'secret', redirectURI: 'http://127.0.0.1/cb' });
const STATE = 'the-state-of-this-sign-in-0123456789';
const refusal = (query: Parameters<typeof client.validateCallback>[0]) => {
  try {
    client.validateCallback(query, STATE);
  } catch (err) {
    return err as CallbackError;
  }
  throw new Error('accepted');
};

describe('validateCallback', () => {
  it('gives the code of a callback with this sign-in’s state, from a URL, a search string, URLSearchParams or a parsed query', () => {
    for (const query of [
      new URL(`http://x/cb?code=abc&state=${STATE}`),
      `?code=abc&state=${STATE}`,
      new URLSearchParams({ code: 'abc', state: STATE }),
      { code: 'abc', state: STATE },
    ]) {
      expect(client.validateCallback(query, STATE)).toEqual({ code: 'abc' });
    }
  });

  it('refuses a repeated or non-string parameter, a missing code and a foreign state', () => {
    expect(refusal(`?code=a&code=b&state=${STATE}`)).toMatchObject({ code: 'invalid_callback', status: 400 });
    expect(refusal({ code: ['a'], state: STATE })).toMatchObject({ code: 'invalid_callback' });
    expect(refusal(`?state=${STATE}`)).toMatchObject({ code: 'invalid_callback' });
    expect(refusal('?code=a&state=another')).toMatchObject({ code: 'state_mismatch', status: 403 });
    expect(refusal('?code=a')).toMatchObject({ code: 'state_mismatch' });
    expect(() => client.validateCallback('?code=a', '')).toThrow(TypeError);
  });

  it('a denial is access_denied with the provider’s text only under this sign-in’s state', () => {
    expect(refusal(`?error=access_denied&error_description=You+said+no&state=${STATE}`)).toMatchObject({
      code: 'access_denied',
      status: 403,
      message: 'You said no',
    });
    expect(refusal('?error=access_denied&error_description=Call+0800&state=forged')).toMatchObject({
      code: 'access_denied',
      message: 'Access denied at trackmania',
    });
  });

  it('an error without this sign-in’s state never shows the attacker’s text or code', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string(), { nil: undefined }), (error, description, state) => {
        fc.pre(state !== STATE && error !== '');
        const query = new URLSearchParams({ error, error_description: description });
        if (state !== undefined) query.set('state', state);
        const err = refusal(query);
        expect(err).toBeInstanceOf(CallbackError);
        // One of the fixed messages, whatever the query said.
        expect(err.message).toMatch(/^(Access denied at trackmania|trackmania authorization failed: [a-z_]+)$/);
        expect([
          'invalid_request',
          'unauthorized_client',
          'access_denied',
          'unsupported_response_type',
          'invalid_scope',
          'server_error',
          'temporarily_unavailable',
        ]).toContain(err.code);
      }),
    );
  });
});

// The authorize redirect's location is built from an endpoint parsed once: held here to what passport-oauth2 1.8
// writes (url.parse(authorizeUrl, true), utils-merge of the parameters, client_id, url.format) for any endpoint
// URL and any parameters.
import { format, parse } from 'node:url';
import fc from 'fast-check';
import { authorizeLocation } from '../src/authorize';

/** passport-oauth2 1.8's own code for the location (lib/strategy.js, `stored`). */
function reference(authorizeUrl: string, clientId: string, params: Record<string, unknown>): string {
  const parsed = parse(authorizeUrl, true);
  for (const key in params) (parsed.query as Record<string, unknown>)[key] = params[key];
  parsed.query.client_id = clientId;
  delete (parsed as { search?: unknown }).search;
  return format(parsed);
}

const special = fc.constantFrom(...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\t'.split(''), '\u00e9', '\u20ac', '\ud83c\udfce', '\ud800', '%', '%2', '%zz', '%41');
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(special, { maxLength: 8 }).map((cs) => cs.join('')),
);
const key = fc.oneof(fc.constantFrom('response_type', 'redirect_uri', 'scope', 'state', 'client_id', 'code_challenge', '0', '10', '__proto__', 'a[b]'), text);
const value = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(undefined), fc.constant(null), fc.array(text, { maxLength: 3 }));

// Endpoint URLs as users configure them: any host form, port, credentials, path, existing query and fragment.
const endpoint = fc
  .record({
    scheme: fc.constantFrom('https:', 'http:', 'HTTPS:', 'custom:'),
    auth: fc.option(fc.constantFrom('user@', 'user:pa%20ss@', 'a:b@'), { nil: '' }),
    host: fc.constantFrom('example.com', 'EXAMPLE.com', '127.0.0.1', '[::1]', 'xn--bcher-kva.example', 'b\u00fccher.example', ''),
    port: fc.option(fc.constantFrom(':443', ':8080', ':'), { nil: '' }),
    path: fc
      .array(
        fc.oneof(
          fc.constantFrom('oauth', 'authorize', 'a b', "it's", '%41', '\u00e9', '..', ''),
          text.map((t) => t.replace(/[?#/]/g, '')),
        ),
        { maxLength: 3 },
      )
      .map((parts) => (parts.length ? `/${parts.join('/')}` : '')),
    query: fc.option(
      fc.oneof(
        fc.constantFrom('?', '?a=1', '?a=1&a=2', '?client_id=x&scope=y', '?x'),
        text.map((t) => `?${t.replace(/#/g, '')}`),
      ),
      { nil: '' },
    ),
    hash: fc.option(
      fc.oneof(
        fc.constantFrom('#', '#frag', '#a?b'),
        text.map((t) => `#${t}`),
      ),
      { nil: '' },
    ),
  })
  .map(({ scheme, auth, host, port, path, query, hash }) => `${scheme}//${auth}${host}${port}${path}${query}${hash}`);

/** The location, or the error it fails with (querystring refuses a lone surrogate, in passport-oauth2 too). */
function outcome(build: () => string): { location: string } | { error: string } {
  try {
    return { location: build() };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

it('writes exactly what passport-oauth2 writes, for any endpoint URL and parameters', () => {
  fc.assert(
    fc.property(endpoint, text, fc.dictionary(key, value, { maxKeys: 6 }), (url, clientId, params) => {
      const expected = outcome(() => reference(url, clientId, params));
      expect(outcome(() => authorizeLocation(url, clientId, params))).toEqual(expected);
      // Once more from the cached endpoint: the first call must not have changed what it keeps.
      expect(outcome(() => authorizeLocation(url, clientId, params))).toEqual(expected);
    }),
    { numRuns: 3000 },
  );
});

it('keeps the endpoint query of one redirect out of the next', () => {
  const url = 'https://example.com/authorize?prompt=none';
  expect(authorizeLocation(url, 'id', { prompt: 'login', state: 's1' })).toBe('https://example.com/authorize?prompt=login&state=s1&client_id=id');
  expect(authorizeLocation(url, 'id', { state: 's2' })).toBe('https://example.com/authorize?prompt=none&state=s2&client_id=id');
});

// What oauth4webapi (inside Auth.js v5) is given of a token answer: for any JSON object a provider sends, a body it
// accepts where the provider's only fault is `scope: null` or a missing `token_type`, every other field as sent.
import fc from 'fast-check';
import { conformTokenAnswer } from '@maniapass/authjs';
import { PROVIDERS } from '@maniapass/providers';

const answer = fc.record(
  {
    access_token: fc.string({ minLength: 1 }),
    token_type: fc.option(fc.constantFrom('bearer', 'Bearer'), { nil: undefined }),
    scope: fc.option(fc.string(), { nil: null }),
    expires_in: fc.nat(),
    user_id: fc.uuid(),
    extra: fc.jsonValue(),
  },
  { requiredKeys: ['access_token'] },
);

describe.each(PROVIDERS.map((p) => [p.id, p.tokenAnswer] as const))('%s token answer, conformed', (_id, quirks) => {
  it('has a string scope or none, a token_type, and every other field as the provider sent it', () => {
    fc.assert(
      fc.property(answer, (generated) => {
        // What the provider's bytes say (JSON has no -0, for one).
        const sent = JSON.parse(JSON.stringify(generated)) as typeof generated;
        const body = conformTokenAnswer(JSON.stringify(sent), quirks);
        const read = JSON.parse(body) as Record<string, unknown>;
        expect(read.scope === undefined || typeof read.scope === 'string').toBe(true);
        expect(typeof read.token_type).toBe('string');
        const { scope, token_type, ...rest } = sent;
        for (const [key, value] of Object.entries(rest)) expect(read[key]).toEqual(value);
        if (typeof scope === 'string') expect(read.scope).toBe(scope);
        expect(read.token_type).toBe(token_type ?? quirks.tokenType);
        // Untouched when nothing needed changing: the body is passed on byte for byte.
        if (typeof scope !== 'object' && token_type !== undefined) expect(body).toBe(JSON.stringify(sent));
      }),
    );
  });

  it('passes a body that is not a JSON object through, for oauth4webapi to refuse', () => {
    for (const body of ['', 'not json', '[]', 'null', '"text"', '42']) expect(conformTokenAnswer(body, quirks)).toBe(body);
  });
});

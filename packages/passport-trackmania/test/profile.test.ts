import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfile } from 'passport-trackmania';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8').trim();

describe('parseProfile', () => {
  it('reads the documented camelCase body of GET /api/user', () => {
    const raw = fixture('user-camel.json');
    expect(parseProfile(raw)).toEqual({
      provider: 'trackmania',
      id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc',
      displayName: 'tooInfinite',
      username: 'tooInfinite',
      _raw: raw,
      _json: { accountId: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' },
    });
  });

  it('accepts the snake_case body seen by some clients', () => {
    expect(parseProfile(fixture('user-snake.json'))).toMatchObject({ id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' });
  });

  it('refuses a body without an account id, or that is not a JSON object', () => {
    expect(() => parseProfile('{"displayName":"x"}')).toThrow('no accountId');
    expect(() => parseProfile('[]')).toThrow('no accountId');
    expect(() => parseProfile('null')).toThrow('no accountId');
    expect(() => parseProfile('<html>')).toThrow('not JSON');
    expect(() => parseProfile('{"accountId":42}')).toThrow('no accountId');
  });

  it('keeps an empty display name as an empty string', () => {
    expect(parseProfile('{"accountId":"a-b"}')).toMatchObject({ id: 'a-b', displayName: '', username: '' });
  });

  it('any JSON or text: a profile with a non-blank string id and the body as _raw, or an Error naming Trackmania (property)', () => {
    const body = fc.oneof(
      fc
        .record(
          { accountId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), displayName: fc.oneof(fc.string(), fc.jsonValue()), account_id: fc.jsonValue() },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
    );
    fc.assert(
      fc.property(body, (raw) => {
        let profile: ReturnType<typeof parseProfile>;
        try {
          profile = parseProfile(raw);
        } catch (e) {
          expect((e as Error).message).toMatch(/^Trackmania profile /);
          return;
        }
        expect(typeof profile.id).toBe('string');
        expect(profile.id.trim()).not.toBe('');
        expect(typeof profile.displayName).toBe('string');
        expect(profile._raw).toBe(raw);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a display name of any length as sent (the body limit bounds it)', () => {
    const displayName = 'n'.repeat(300_000);
    expect(parseProfile(JSON.stringify({ accountId: 'a', displayName })).displayName).toBe(displayName);
  });
});

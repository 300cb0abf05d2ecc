import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfile } from 'passport-toornament';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8').trim();

describe('parseProfile', () => {
  it('reads the documented body of GET /account/v2/me/info', () => {
    const raw = fixture('me-info.json');
    expect(parseProfile(raw)).toEqual({
      provider: 'toornament',
      id: '145246939508809147',
      displayName: 'My NickName',
      username: 'My NickName',
      country: 'US',
      _raw: raw,
      _json: { id: '145246939508809147', name: 'My NickName', country: 'US' },
    });
  });

  it('keeps a null country as null', () => {
    const raw = fixture('me-info-no-country.json');
    expect(parseProfile(raw)).toMatchObject({ id: '378619237461592064', displayName: 'BracketQueen', country: null, _raw: raw });
    expect(parseProfile('{"id":"1","name":"x"}').country).toBeNull();
  });

  it('keeps an id sent as a bare 18-digit number exact, in the profile and in _json', () => {
    const raw = fixture('me-info-numeric-id.json');
    // The premise: JSON.parse alone rounds it.
    expect(String((JSON.parse(raw) as { id: number }).id)).not.toBe('145246939508809147');
    const profile = parseProfile(raw);
    expect(profile.id).toBe('145246939508809147');
    expect(profile._json.id).toBe('145246939508809147');
    expect(profile._raw).toBe(raw);
  });

  it('reads the top-level id only, whatever nested objects or strings hold', () => {
    const raw = '{"team":{"id":999999999999999999},"note":"\\"id\\": 5, [ {","id":145246939508809147,"name":"n"}';
    expect(parseProfile(raw).id).toBe('145246939508809147');
    // Duplicate keys: the last one wins, as in JSON.parse.
    expect(parseProfile('{"id":111111111111111111,"id":222222222222222222}').id).toBe('222222222222222222');
    expect(parseProfile('{"id":42}').id).toBe('42');
  });

  it('refuses a body without a usable id, or that is not a JSON object', () => {
    expect(() => parseProfile('{"name":"x"}')).toThrow('no id');
    expect(() => parseProfile('{"id":""}')).toThrow('no id');
    expect(() => parseProfile('{"id":1.5}')).toThrow('no id');
    expect(() => parseProfile('{"id":-3}')).toThrow('no id');
    expect(() => parseProfile('{"id":null}')).toThrow('no id');
    expect(() => parseProfile('[{"id":"1"}]')).toThrow('no id');
    expect(() => parseProfile('null')).toThrow('no id');
    expect(() => parseProfile('<html>')).toThrow('not JSON');
    expect(() => parseProfile('')).toThrow('not JSON');
  });

  it('keeps a missing name as an empty string', () => {
    expect(parseProfile('{"id":"145246939508809147"}')).toMatchObject({ displayName: '', username: '' });
  });

  it('a bare numeric id of any size: exactly its digits, whatever the rest of the body holds (property)', () => {
    // Members before and after the id, nested objects and strings with their own "id", escapes and numbers.
    const noise = fc.dictionary(fc.oneof(fc.string(), fc.constant('id')), fc.jsonValue(), { maxKeys: 4 }).map((o) => JSON.stringify(o).slice(1, -1));
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), noise, noise, (id, before, after) => {
        const members = [before.replace(/"id":/g, '"id_":'), `"id":${id}`, after.replace(/"id":/g, '"id_":')].filter(Boolean);
        const raw = `{${members.join(',')}}`;
        fc.pre(typeof (JSON.parse(raw) as { id?: unknown }).id === 'number');
        expect(parseProfile(raw).id).toBe(id.toString());
      }),
      { numRuns: 500 },
    );
  });

  it('any JSON or text: a profile with a non-blank string id and the body as _raw, or an Error naming Toornament (property)', () => {
    const body = fc.oneof(
      fc
        .record(
          { id: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)), name: fc.jsonValue(), country: fc.jsonValue() },
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
          expect((e as Error).message).toMatch(/^Toornament profile /);
          return;
        }
        expect(typeof profile.id).toBe('string');
        expect(profile.id.trim()).not.toBe('');
        expect(profile._raw).toBe(raw);
      }),
      { numRuns: 500 },
    );
  });
});

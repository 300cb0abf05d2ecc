import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfile } from 'passport-trackmage';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8').trim();
const authCodeToken = JSON.parse(fixture('token-authorization-code.json')) as { user_id: string; user_email: string };

describe('parseProfile', () => {
  it('reads the documented User-Get body (Accept: application/json)', () => {
    const raw = fixture('user-get.json');
    expect(parseProfile(raw, { tokenResponse: authCodeToken })).toEqual({
      provider: 'trackmage',
      id: 'e7508450-4aab-4c5f-b14d-d7440e6da3fd',
      displayName: 'Jane Doe',
      name: { givenName: 'Jane', familyName: 'Doe' },
      emails: [{ value: 'test@example.com', verified: true }],
      photos: [],
      _raw: raw,
      _json: JSON.parse(raw),
    });
  });

  it('reads the JSON-LD form too, with an absolute photo kept as it is', () => {
    const profile = parseProfile(fixture('user-jsonld.json'), { tokenResponse: authCodeToken });
    expect(profile).toMatchObject({
      id: 'e7508450-4aab-4c5f-b14d-d7440e6da3fd',
      displayName: 'Jane Doe',
      photos: [{ value: 'https://s3-test.trackmage.com/media/a4f29b34-aa67-4e68-a7c8-f1c2e081979e/5dfa6dfcc161f_cats.png' }],
    });
    expect(profile._json['@type']).toBe('User');
  });

  it('falls back to the e-mail for displayName, keeps verified: false, and resolves a relative photo path', () => {
    const profile = parseProfile(fixture('user-no-name-relative-photo.json'), { photoBaseURL: 'https://api.rc.trackmage.com' });
    expect(profile).toMatchObject({
      id: 'fe1dec62-490e-4f16-afb2-6f9dd303d930',
      displayName: 'your@email.com',
      emails: [{ value: 'your@email.com', verified: false }],
      photos: [{ value: 'https://api.rc.trackmage.com/media/a4f29b34-aa67-4e68-a7c8-f1c2e081979e/5dfa6dfcc161f_cats.png' }],
    });
    expect(profile.name).toBeUndefined();
    // Without a base, relative paths resolve against the production API host.
    expect(parseProfile(fixture('user-no-name-relative-photo.json')).photos[0]!.value).toMatch(/^https:\/\/api\.trackmage\.com\/media\//);
  });

  it('uses only a first or only a last name when that is all there is', () => {
    expect(parseProfile('{"id":"u1","email":"a@b.c","firstName":"Ann","lastName":null}')).toMatchObject({ displayName: 'Ann', name: { givenName: 'Ann' } });
    expect(parseProfile('{"id":"u1","email":"a@b.c","firstName":" ","lastName":"Lee"}')).toMatchObject({ displayName: 'Lee', name: { familyName: 'Lee' } });
  });

  it('fills id and e-mail from the token response when the body lacks them (verified then unknown)', () => {
    const profile = parseProfile('{"firstName":null,"emailVerified":true}', { tokenResponse: authCodeToken });
    expect(profile).toMatchObject({ id: authCodeToken.user_id, displayName: 'test@example.com', emails: [{ value: 'test@example.com' }] });
    expect(profile.emails[0]).not.toHaveProperty('verified');
  });

  it("refuses another user's record than the token's user_id", () => {
    expect(() => parseProfile('{"id":"someone-else","email":"x@y.z"}', { tokenResponse: authCodeToken })).toThrow('not the signed-in user');
  });

  it('drops a photo that is not a web URL', () => {
    expect(parseProfile('{"id":"u1","photo":{"filePath":"javascript:alert(1)"}}').photos).toEqual([]);
    expect(parseProfile('{"id":"u1","photo":{"filePath":""}}').photos).toEqual([]);
    expect(parseProfile('{"id":"u1","photo":"not-an-object"}').photos).toEqual([]);
  });

  it('refuses garbage', () => {
    expect(() => parseProfile('<html>')).toThrow('not JSON');
    expect(() => parseProfile('[]')).toThrow('not a JSON object');
    expect(() => parseProfile('null')).toThrow('not a JSON object');
    expect(() => parseProfile('{"email":"x@y.z"}')).toThrow('no id');
    expect(() => parseProfile('{"id":42}')).toThrow('no id');
    expect(parseProfile('{"id":"u1","email":7,"firstName":{}}')).toMatchObject({ id: 'u1', displayName: '', emails: [] });
  });

  it('any JSON or text: a profile with a non-blank string id, web-only photos and the body as _raw, or an Error naming TrackMage (property)', () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue());
    const body = fc.oneof(
      fc
        .record(
          {
            id: field,
            email: field,
            firstName: field,
            lastName: field,
            emailVerified: field,
            photo: fc.oneof(
              field,
              fc.record({ filePath: fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('javascript:alert(1)', 'data:,x', '//evil.example/x')) }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
    );
    fc.assert(
      fc.property(body, fc.option(fc.record({ user_id: field, user_email: field }, { requiredKeys: [] }), { nil: undefined }), (raw, tokenResponse) => {
        let profile: ReturnType<typeof parseProfile>;
        try {
          profile = parseProfile(raw, { tokenResponse });
        } catch (e) {
          expect((e as Error).message).toMatch(/^TrackMage profile /);
          return;
        }
        expect(typeof profile.id).toBe('string');
        expect(profile.id.trim()).not.toBe('');
        for (const photo of profile.photos) expect(photo.value).toMatch(/^https?:\/\//);
        expect(profile._raw).toBe(raw);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps names of any length as sent (the body limit bounds them)', () => {
    const firstName = 'f'.repeat(300_000);
    expect(parseProfile(JSON.stringify({ id: 'a', firstName })).name).toEqual({ givenName: firstName });
  });
});

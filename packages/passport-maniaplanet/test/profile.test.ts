import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEmail, parseProfile, stripFormatting } from 'passport-maniaplanet';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8').trim();

describe('parseProfile', () => {
  it('reads the documented body of GET /webservices/me', () => {
    const raw = fixture('me.json');
    expect(parseProfile(raw)).toEqual({
      provider: 'maniaplanet',
      id: 'someplayer',
      username: 'someplayer',
      displayName: '$f00Some$fffPlayer',
      displayNamePlain: 'SomePlayer',
      zonePath: 'World|Europe|France',
      zones: ['World', 'Europe', 'France'],
      _raw: raw,
      _json: { login: 'someplayer', nickname: '$f00Some$fffPlayer', path: 'World|Europe|France' },
    });
  });

  it('adds the e-mail, whether its body is a JSON string or a bare address', () => {
    for (const name of ['email-json.txt', 'email-bare.txt']) {
      expect(parseProfile(fixture('me.json'), fixture(name)).emails).toEqual([{ value: 'someplayer@example.com' }]);
    }
  });

  it('has no emails without an e-mail body, or with an empty one', () => {
    expect(parseProfile(fixture('me.json'))).not.toHaveProperty('emails');
    expect(parseProfile(fixture('me.json'), '')).not.toHaveProperty('emails');
    expect(parseProfile(fixture('me.json'), 'null')).not.toHaveProperty('emails');
  });

  it('keeps fields it does not know in _json and strips links from the plain name', () => {
    const profile = parseProfile(fixture('me-extra-fields.json'));
    expect(profile).toMatchObject({ id: 'speedrunner', displayNamePlain: 'Speed Runner site', zones: ['World', 'North America', 'Canada', 'Quebec'] });
    expect(profile._json).toMatchObject({ id: 123 });
  });

  it('falls back to the login when there is no nickname, and has no zone without a path', () => {
    const profile = parseProfile(fixture('me-login-only.json'));
    expect(profile).toMatchObject({ id: 'loginonly', displayName: 'loginonly', displayNamePlain: 'loginonly', zones: [] });
    expect(profile).not.toHaveProperty('zonePath');
  });

  it('refuses a body without a login, or that is not a JSON object', () => {
    expect(() => parseProfile('{"nickname":"x"}')).toThrow('no login');
    expect(() => parseProfile('{"login":""}')).toThrow('no login');
    expect(() => parseProfile('{"login":42}')).toThrow('no login');
    expect(() => parseProfile('[]')).toThrow('no login');
    expect(() => parseProfile('null')).toThrow('no login');
    expect(() => parseProfile('"someplayer"')).toThrow('no login');
    expect(() => parseProfile('<?xml version="1.0"?><response><login>x</login></response>')).toThrow('not JSON');
  });

  it('refuses an e-mail body that is not an address', () => {
    expect(() => parseProfile(fixture('me.json'), '<html>')).toThrow('not an address');
  });

  it('any JSON or text: a profile with a non-blank string id and its plain name, or an Error naming ManiaPlanet (property)', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('$', 'l', '[', ']', 'f', '0', 'o', '|', 'x'), maxLength: 30 }));
    const body = fc.oneof(
      fc
        .record(
          { login: fc.oneof(text, fc.integer(), fc.constant(null)), nickname: fc.oneof(text, fc.jsonValue()), path: fc.oneof(text, fc.jsonValue()) },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
    );
    fc.assert(
      fc.property(
        body,
        fc.option(
          fc.oneof(
            fc.string(),
            fc.emailAddress(),
            fc.emailAddress().map((e) => JSON.stringify(e)),
          ),
          { nil: undefined },
        ),
        (raw, email) => {
          let profile: ReturnType<typeof parseProfile>;
          try {
            profile = parseProfile(raw, email);
          } catch (e) {
            expect((e as Error).message).toMatch(/^ManiaPlanet (profile|e-mail) /);
            return;
          }
          expect(typeof profile.id).toBe('string');
          expect(profile.id.trim()).not.toBe('');
          expect(profile.displayNamePlain).toBe(stripFormatting(profile.displayName));
          expect(profile.zones.every((zone) => zone !== '' && !zone.includes('|'))).toBe(true);
          expect(profile._raw).toBe(raw);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseEmail', () => {
  it.each([
    ['"a@b.co"', 'a@b.co'],
    ['a@b.co', 'a@b.co'],
    ['  a@b.co\n', 'a@b.co'],
    ['" a@b.co "', 'a@b.co'],
    ['"first.last+tag@sub.example.org"', 'first.last+tag@sub.example.org'],
    ['', undefined],
    ['null', undefined],
  ])('%p → %p', (raw, expected) => {
    expect(parseEmail(raw)).toBe(expected);
  });

  it('accepts an address of 254 characters and refuses a longer one (RFC 5321)', () => {
    const local = 'a'.repeat(64);
    const longest = `${local}@${'b'.repeat(254 - 64 - 1 - 3)}.co`;
    expect(longest).toHaveLength(254);
    expect(parseEmail(longest)).toBe(longest);
    expect(() => parseEmail(`a${longest}`)).toThrow('not an address');
    expect(() => parseEmail(JSON.stringify(`a${longest}`))).toThrow('not an address');
  });

  it('refuses the shapes that once took seconds: many dots, many @, an unterminated JSON string', () => {
    for (const raw of [`a@${'.'.repeat(40_000)}"`, `a@b${'.'.repeat(40_000)}`, '@'.repeat(100_000), `"${'a'.repeat(100_000)}`, `a@${'b.'.repeat(50_000)}`]) {
      expect(() => parseEmail(raw)).toThrow(/e-mail/);
    }
  });

  // What an address was before the length limit, as the regular expression it used to be (quadratic on `a@....`).
  const REFERENCE_EMAIL = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/;

  it('accepts exactly what the documented pattern accepts, up to 254 characters (property)', () => {
    const unit = fc.constantFrom('a', 'Z', '0', '.', '.', '@', '-', '+', ' ', '"', ',', '<', '\t', 'é');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const address = text.trim();
        fc.pre(address !== '' && address !== 'null' && !address.startsWith('"'));
        const accepted = (() => {
          try {
            return parseEmail(text) === address;
          } catch {
            return false;
          }
        })();
        expect(accepted).toBe(REFERENCE_EMAIL.test(address));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    '{"email":"a@b.co"}',
    '"not an address"',
    'not-an-address',
    '"a@b.co',
    '42',
    '["a@b.co"]',
    'a @b.co',
    '<response>a@b.co</response>',
    'a@b',
    'a@@b.co',
  ])('refuses %p', (raw) => {
    expect(() => parseEmail(raw)).toThrow(/e-mail/);
  });
});

describe('stripFormatting', () => {
  it.each([
    ['$f00Some$fffPlayer', 'SomePlayer'],
    ['$F00Upper$ABCcase', 'Uppercase'],
    ['$o$i$w$n$t$s$g$z$m$<Styled$>', 'Styled'],
    ['$OBold $ZReset', 'Bold Reset'],
    ['Price: $$5', 'Price: $5'],
    ['$$$f00red', '$red'],
    ['$l[https://example.com]my site$l', 'my site'],
    ['$lhttps://example.com$l', 'https://example.com'],
    ['$h[maniaplanet]home$h and $p[x]legacy$p', 'home and legacy'],
    ['$L[http://a.b]Up$L', 'Up'],
    ['$0fShort $7Neat', 'Short Neat'],
    ['$fffabcdef', 'abcdef'],
    ['trailing$', 'trailing'],
    ['Plain name', 'Plain name'],
    ['', ''],
  ])('%p → %p', (formatted, plain) => {
    expect(stripFormatting(formatted)).toBe(plain);
  });

  it('leaves a $ before a character that starts no code', () => {
    expect(stripFormatting('$x$ y')).toBe('$x$ y');
  });

  it('keeps a [ that no ] closes, however many there are', () => {
    expect(stripFormatting('$l[no target')).toBe('[no target');
    expect(stripFormatting('$l['.repeat(100_000))).toBe('['.repeat(100_000));
    expect(stripFormatting(`${'$h[$l['.repeat(50_000)}]end`)).toBe('end');
    expect(stripFormatting(`$l[a]${'$l['.repeat(3)}b]c$l[`)).toBe('c[');
  });

  // The documented behaviour, written as the one regular expression it used to be (quadratic on `$l[$l[…`, so only
  // for short inputs here): the single-pass version must agree with it on every input.
  const REFERENCE = /\$(?:(\$)|[0-9a-f]{1,3}|[lhp](?:\[[^\]]*\])?|[oiwntsgzm<>]|$)/gi;
  const formatted = fc.string({
    unit: fc.constantFrom('$', '$', '[', ']', 'l', 'H', 'p', 'f', 'A', '0', '9', 'g', 'o', 'Z', '<', '>', 'x', ' ', 'é', '\n'),
    maxLength: 60,
  });

  it('agrees with the documented rules on any mix of codes, brackets and text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(formatted, fc.string()), (text) => {
        expect(stripFormatting(text)).toBe(text.replace(REFERENCE, (_code, dollar: string | undefined) => dollar ?? ''));
      }),
      { numRuns: 5000 },
    );
  });
});

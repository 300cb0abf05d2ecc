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

  it.each(['{"email":"a@b.co"}', '"not an address"', 'not-an-address', '"a@b.co', '42', '["a@b.co"]', 'a @b.co', '<response>a@b.co</response>', 'a@b', 'a@@b.co'])('refuses %p', (raw) => {
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
});

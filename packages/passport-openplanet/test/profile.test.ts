import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseValidation } from 'passport-openplanet';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8').trim();

describe('parseValidation', () => {
  it('reads the documented answer for a valid token', () => {
    const raw = fixture('validate-ok.json');
    expect(parseValidation(raw)).toEqual({
      valid: true,
      profile: {
        provider: 'openplanet',
        id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc',
        displayName: 'tooInfinite',
        tokenTime: 1764580800,
        _raw: raw,
        _json: { account_id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', display_name: 'tooInfinite', token_time: 1764580800 },
      },
    });
  });

  it("refuses a token when error is set, with Openplanet's text", () => {
    expect(parseValidation(fixture('validate-error.json'))).toEqual({ valid: false, message: 'Invalid token', json: { error: 'Invalid token' } });
    // An error that is set, even without a text, refuses the token, whatever else the body says.
    expect(parseValidation('{"error":true,"account_id":"a"}')).toMatchObject({ valid: false, message: 'Openplanet refused the token' });
    expect(parseValidation('{"error":"  Token expired  ","account_id":"a"}')).toMatchObject({ valid: false, message: 'Token expired' });
  });

  it("refuses a token when account_id is empty or missing, as Openplanet's example server does", () => {
    expect(parseValidation(fixture('validate-empty-account.json'))).toMatchObject({ valid: false, message: 'Openplanet answered without an account id' });
    expect(parseValidation('{}')).toMatchObject({ valid: false });
    expect(parseValidation('{"account_id":42}')).toMatchObject({ valid: false });
    expect(parseValidation('{"account_id":"   "}')).toMatchObject({ valid: false });
  });

  it('takes an empty error as no error, and keeps an empty display name as an empty string', () => {
    expect(parseValidation('{"error":"","account_id":"a-b"}')).toMatchObject({ valid: true, profile: { id: 'a-b', displayName: '', tokenTime: undefined } });
    expect(parseValidation('{"error":null,"account_id":"a-b","display_name":7}')).toMatchObject({ valid: true, profile: { displayName: '' } });
  });

  it('reads token_time as epoch seconds, a digit string too, and nothing else', () => {
    const time = (value: unknown) =>
      (parseValidation(JSON.stringify({ account_id: 'a', token_time: value })) as { profile: { tokenTime?: number } }).profile.tokenTime;
    expect(time(1764580800)).toBe(1764580800);
    expect(time('1764580800')).toBe(1764580800);
    for (const bad of [-1, 1.5, '1e9', '', 'soon', null, [], {}, 2 ** 60]) expect(time(bad)).toBeUndefined();
  });

  it('bounds what it keeps: the refusal text cut to 200, display names to 128 code points without control characters, account ids to 64', () => {
    const refused = parseValidation(JSON.stringify({ error: `${'😀'.repeat(250)}tail` }));
    expect(refused.valid ? '' : refused.message).toBe('😀'.repeat(200));
    const named = parseValidation(JSON.stringify({ account_id: 'a-b', display_name: `\u0000x\ty\u007f${'é'.repeat(200)}`, token_time: 1 }));
    expect(named.valid && named.profile.displayName).toBe(`xy${'é'.repeat(126)}`);
    expect(() => parseValidation(JSON.stringify({ account_id: 'a'.repeat(65) }))).toThrow('account_id longer than 64 characters');
    expect(parseValidation(JSON.stringify({ account_id: 'a'.repeat(64) })).valid).toBe(true);
  });

  it('throws for a body that is not a JSON object', () => {
    for (const raw of ['<html>502</html>', '', '[]', 'null', '"x"', '42']) expect(() => parseValidation(raw)).toThrow(/not JSON|not a JSON object/);
  });

  it('is linear in its input: large bodies parse in a bounded time', () => {
    const big = JSON.stringify({ account_id: 'a', display_name: 'x'.repeat(900_000), pad: Array.from({ length: 20_000 }, (_, i) => ({ i })) });
    const started = Date.now();
    expect(parseValidation(big).valid).toBe(true);
    expect(parseValidation(`{"error":"${'\\"'.repeat(200_000)}"}`).valid).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

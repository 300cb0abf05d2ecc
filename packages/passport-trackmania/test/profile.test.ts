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
});

import http from 'node:http';
import {
  CachedTokenSource,
  ProviderError,
  TokenError,
  adaptVerify,
  withTokenResponse,
  assertKnownScopes,
  parseScope,
  toTokenSet,
} from '@maniapass/oauth2-core';
import { ProviderClient, decodeJwtPayload, describeErrorBody, redact, stripQuery } from '@maniapass/http';
import { InternalOAuthError, TokenError as PassportTokenError } from 'passport-oauth2';

const jwt = (payload: object) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('decodeJwtPayload', () => {
  it('decodes the payload of a JWT', () => {
    expect(decodeJwtPayload(jwt({ exp: 123, sub: 'me' }))).toEqual({ exp: 123, sub: 'me' });
  });
  it.each(['', 'abc', 'a.b', 'a.!!!.c', jwt([1, 2] as never), `x.${Buffer.from('null').toString('base64url')}.y`, 42 as never])(
    'gives undefined for %p',
    (token) => {
      expect(decodeJwtPayload(token)).toBeUndefined();
    },
  );
});

describe('scopes', () => {
  it('parses strings and arrays', () => {
    expect(parseScope('a b,c  d')).toEqual(['a', 'b', 'c', 'd']);
    expect(parseScope(['a', ' b '])).toEqual(['a', 'b']);
    expect(parseScope(undefined)).toEqual([]);
    expect(parseScope('')).toEqual([]);
    expect(() => parseScope([1] as never)).toThrow(TypeError);
  });
  it('names an unknown scope and lists the valid ones', () => {
    expect(() => assertKnownScopes('p', ['a', 'zz'], ['a', 'b'])).toThrow('Unknown p scope "zz". Valid scopes: a, b');
    expect(() => assertKnownScopes('p', ['a'], null)).toThrow('p has no scopes, but scope "a" was requested');
    expect(() => assertKnownScopes('p', [], null)).not.toThrow();
  });
});

describe('describeErrorBody', () => {
  it.each([
    ['{"error":"invalid_grant","error_description":"Code expired"}', { code: 'invalid_grant', message: 'Code expired' }],
    [
      '{"error":"invalid_client","message":"Client authentication failed","hint":"Check the secret"}',
      { code: 'invalid_client', message: 'Client authentication failed — Check the secret' },
    ],
    ['{"hydra:title":"An error occurred","hydra:description":"Not allowed"}', { message: 'Not allowed' }],
    ['{"title":"An error occurred","detail":"bad","violations":[{"propertyPath":"email","message":"invalid"}]}', { message: 'bad — email: invalid' }],
    ['{"code":401,"message":"JWT Token not found"}', { message: 'JWT Token not found' }],
    ['{"errors":[{"message":"Invalid range","scope":"query"}]}', { message: 'Invalid range' }],
    ['not json', {}],
    ['[1]', {}],
    ['null', {}],
  ])('%s', (body, expected) => {
    expect(describeErrorBody(body)).toEqual(expected);
  });
});

describe('errors', () => {
  it("TokenError has passport-oauth2 TokenError's constructor, defaults and class", () => {
    const plain = new TokenError();
    expect(plain).toBeInstanceOf(PassportTokenError);
    expect(plain).toBeInstanceOf(Error);
    expect(plain).toMatchObject({ name: 'TokenError', code: 'invalid_request', uri: undefined, status: 500 });
    expect(plain.message).toBeUndefined();
    const e = new TokenError('Bad code', 'invalid_grant', 'https://docs/x', 400);
    expect(e).toMatchObject({ message: 'Bad code', code: 'invalid_grant', uri: 'https://docs/x', status: 400, statusCode: 400 });
    // The same assertions hold for passport-oauth2's own class.
    expect(new PassportTokenError('Bad code', 'invalid_grant', 'https://docs/x', 400)).toMatchObject({
      message: 'Bad code',
      code: 'invalid_grant',
      uri: 'https://docs/x',
      status: 400,
    });
  });
  it("TokenError takes the collection's fields from its last argument; a provider failure is status 500", () => {
    const e = new TokenError('m', 'invalid_client', undefined, undefined, { provider: 'p', upstreamStatus: 401 });
    expect(e).toMatchObject({ provider: 'p', upstreamStatus: 401, status: 500, statusCode: 500 });
  });
  it("ProviderError has InternalOAuthError's constructor and class, strips the query from the URL and is status 500", () => {
    const cause = new Error('socket hang up');
    const plain = new ProviderError('Failed to fetch user profile', cause);
    expect(plain).toBeInstanceOf(InternalOAuthError);
    expect(plain).toMatchObject({ name: 'ProviderError', message: 'Failed to fetch user profile', oauthError: cause, status: 500 });
    const e = new ProviderError(
      'm',
      { statusCode: 404, data: 'nope' },
      { provider: 'p', url: 'https://x/y?token=abc#f', code: 'EHTTPSTATUS', upstreamStatus: 404 },
    );
    expect(e).toMatchObject({ url: 'https://x/y', status: 500, statusCode: 500, upstreamStatus: 404, code: 'EHTTPSTATUS' });
    expect(String(e)).toBe('ProviderError: m (status: 404 data: nope)');
    expect(String(e)).not.toContain('token=abc');
  });
  it('redact masks every secret of 4 characters or more', () => {
    expect(redact('a secret1 and code22 and ab', ['secret1', 'code22', 'ab', undefined])).toBe('a [redacted] and [redacted] and ab');
    expect(stripQuery('https://h/p')).toBe('https://h/p');
  });
});

describe('toTokenSet', () => {
  it('maps the fields and computes expiresAt from expires_in', () => {
    expect(toTokenSet({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 3600, scope: 'x y' }, 1_000_000)).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      tokenType: 'bearer',
      expiresIn: 3600,
      expiresAt: 1000 + 3600,
      scope: 'x y',
      raw: { access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 3600, scope: 'x y' },
    });
  });
  it('falls back to the JWT exp claim, and ignores a nonsense expires_in', () => {
    expect(toTokenSet({ access_token: jwt({ exp: 4242 }), expires_in: 'soon' })).toMatchObject({ expiresAt: 4242, tokenType: 'Bearer' });
    expect(toTokenSet({ access_token: 'opaque' }).expiresAt).toBeUndefined();
  });
});

describe('CachedTokenSource', () => {
  it('shares one request among concurrent callers and reuses the token until the margin', async () => {
    let now = 1_000_000;
    let calls = 0;
    const source = new CachedTokenSource(async () => ({ n: ++calls, expiresAt: now / 1000 + 120 }), { marginSeconds: 60, now: () => now });
    const first = await Promise.all(Array.from({ length: 100 }, () => source.get()));
    expect(calls).toBe(1);
    expect(new Set(first.map((t) => t.n))).toEqual(new Set([1]));
    now += 59_000;
    expect((await source.get()).n).toBe(1);
    now += 2_000; // inside the margin
    expect((await source.get()).n).toBe(2);
    source.invalidate();
    expect((await source.get()).n).toBe(3);
  });
  it('does not cache a failure', async () => {
    let calls = 0;
    const source = new CachedTokenSource(async () => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return { expiresAt: Date.now() / 1000 + 3600 };
    });
    await expect(Promise.all([source.get(), source.get()])).rejects.toThrow('down');
    expect(calls).toBe(1);
    await expect(source.get()).resolves.toMatchObject({ expiresAt: expect.any(Number) });
  });
});

describe('adaptVerify', () => {
  const run = (verify: (...args: never[]) => unknown, passReq = false, doneTimeout?: number) =>
    new Promise<unknown[]>((resolve) =>
      adaptVerify(verify as never, passReq, { doneTimeout })({ url: '/cb' } as never, 'AT', 'RT', { access_token: 'AT' }, { id: 'P' }, (...a: unknown[]) =>
        resolve(a),
      ),
    );
  type Done = (e: unknown, u?: object | false) => void;

  it('gives exactly the arguments passport-oauth2 gives a function of that length, async or not', async () => {
    const seen = (...args: unknown[]) => args.map((a) => (typeof a === 'function' ? 'done' : a));
    const cases: Array<[(...args: never[]) => unknown, boolean, unknown[]]> = [
      [((a: string, r: string, p: object, done: Done) => done(null, { args: seen(a, r, p, done) })) as never, false, ['AT', 'RT', { id: 'P' }, 'done']],
      [
        ((a: string, r: string, t: object, p: object, done: Done) => done(null, { args: seen(a, r, t, p, done) })) as never,
        false,
        ['AT', 'RT', { access_token: 'AT' }, { id: 'P' }, 'done'],
      ],
      [(async (a: string, r: string, p: object, done: Done) => done(null, { args: seen(a, r, p, done) })) as never, false, ['AT', 'RT', { id: 'P' }, 'done']],
      [
        (async (a: string, r: string, t: object, p: object, done: Done) => done(null, { args: seen(a, r, t, p, done) })) as never,
        false,
        ['AT', 'RT', { access_token: 'AT' }, { id: 'P' }, 'done'],
      ],
      // The old four-argument async "params" form gets what passport-oauth2 gives it: the profile, then done.
      [(async (a: string, r: string, x: object, y: unknown) => ({ args: seen(a, r, x, y) })) as never, false, ['AT', 'RT', { id: 'P' }, 'done']],
      [
        async function (this: unknown, ...args: unknown[]) {
          return { args: seen(...args) };
        } as never,
        false,
        ['AT', 'RT', { id: 'P' }, 'done'],
      ],
      [
        ((q: { url: string }, a: string, r: string, p: object, done: Done) => done(null, { args: seen(q.url, a, r, p, done) })) as never,
        true,
        ['/cb', 'AT', 'RT', { id: 'P' }, 'done'],
      ],
      [
        ((q: { url: string }, a: string, r: string, t: object, p: object, done: Done) => done(null, { args: seen(q.url, a, r, t, p, done) })) as never,
        true,
        ['/cb', 'AT', 'RT', { access_token: 'AT' }, { id: 'P' }, 'done'],
      ],
      [
        (async (q: { url: string }, a: string, r: string, p: object, done: Done) => done(null, { args: seen(q.url, a, r, p, done) })) as never,
        true,
        ['/cb', 'AT', 'RT', { id: 'P' }, 'done'],
      ],
      [
        withTokenResponse(async (a: string, r: string | undefined, t: object, p: object) => ({ args: seen(a, r, t, p) })) as never,
        false,
        ['AT', 'RT', { access_token: 'AT' }, { id: 'P' }],
      ],
      [
        withTokenResponse(async (q: { url: string }, a: string, r: string | undefined, t: object, p: object) => ({ args: seen(q.url, a, r, t, p) })) as never,
        true,
        ['/cb', 'AT', 'RT', { access_token: 'AT' }, { id: 'P' }],
      ],
    ];
    for (const [verify, passReq, args] of cases) expect(await run(verify, passReq)).toEqual([null, { args }, undefined]);
  });

  it('a length set by hand decides, as @nestjs/passport callbackArity relies on', async () => {
    const validate = async (a: string, r: string, p: object) => ({ a, r, p });
    const callback = async (...params: unknown[]) => {
      const done = params[params.length - 1] as Done;
      done(null, await (validate as (...args: unknown[]) => Promise<object>)(...params));
    };
    Object.defineProperty(callback, 'length', { value: validate.length + 1 });
    expect(await run(callback as never)).toEqual([null, { a: 'AT', r: 'RT', p: { id: 'P' } }, undefined]);
  });

  it('settles once, whichever of done and the Promise comes first', async () => {
    expect(
      (
        await run((() => {
          throw new Error('boom');
        }) as never)
      )[0],
    ).toMatchObject({ message: 'boom' });
    expect(
      (
        await run((async () => {
          throw new Error('nope');
        }) as never)
      )[0],
    ).toMatchObject({ message: 'nope' });
    expect(await run((async () => false) as never)).toEqual([null, false, undefined]);
    expect(await run((async () => null) as never)).toEqual([null, false, undefined]);
    expect(await run((async (_a: string, _r: string, _p: object) => undefined) as never)).toEqual([null, false, undefined]);
    expect(
      await run((async (a: string, r: string, p: object, done: Done) => {
        done(null, { by: 'done' });
        return { by: 'promise' };
      }) as never),
    ).toEqual([null, { by: 'done' }, undefined]);
    expect(
      await run(((a: string, r: string, p: object, done: Done) => {
        setImmediate(() => done(null, { by: 'done' }));
        return Promise.resolve({ by: 'promise' });
      }) as never),
    ).toEqual([null, { by: 'promise' }, undefined]);
    const calls: unknown[] = [];
    adaptVerify(
      ((a: string, r: string, p: object, done: (e: null, u: string) => void) => {
        done(null, 'first');
        done(null, 'second');
      }) as never,
      false,
    )({} as never, 'AT', 'RT', { access_token: 'AT' }, {}, (...a: unknown[]) => calls.push(a[1]));
    expect(calls).toEqual(['first']);
  });

  it('waits for done after a Promise that resolves to nothing from a function that declares done, within a bound', async () => {
    expect(
      await run((async (a: string, r: string, p: object, done: Done) => {
        setTimeout(() => done(null, { late: true }), 20);
      }) as never),
    ).toEqual([null, { late: true }, undefined]);
    const [err] = await run(
      (async (a: string, r: string, p: object, done: Done) => {
        void done;
      }) as never,
      false,
      50,
    );
    expect(err).toMatchObject({ message: 'verify function did not settle the login within 50 ms' });
  });

  it('a function that declares fewer parameters may still reach done through arguments, as with passport-oauth2; one that never does is an error within the bound', async () => {
    const late = function (this: unknown) {
      // eslint-disable-next-line prefer-rest-params -- the point: a function of declared length 0 that reaches done through `arguments`
      const done = arguments[arguments.length - 1] as Done;
      setTimeout(() => done(null, { late: true }), 5);
    };
    expect(await run(late as never)).toEqual([null, { late: true }, undefined]);
    const [err] = await run(((a: string, r: string, p: object) => void [a, r, p]) as never, false, 50);
    expect(err).toMatchObject({ message: 'verify function did not settle the login within 50 ms' });
  });

  it('a function that cannot see done and returns a value that is not a Promise is an error at once', async () => {
    const [err] = await run(((a: string, r: string, p: object) => ({ a, r, p })) as never);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/declares 3 parameters.*not a Promise/);
  });

  it('withTokenResponse refuses a form that does not fit passReqToCallback', () => {
    expect(() => adaptVerify(withTokenResponse(async (a: string, r: string | undefined, t: object, p: object) => ({ a, r, t, p })) as never, true)).toThrow(
      /passReqToCallback/,
    );
    expect(() =>
      adaptVerify(withTokenResponse(async (q: object, a: string, r: string | undefined, t: object, p: object) => ({ q, a, r, t, p })) as never, false),
    ).toThrow(/passReqToCallback/);
  });
});

describe('ProviderClient masks secrets before cutting error text', () => {
  it('a token echoed at the 500-character cut of a provider message does not survive in part', async () => {
    const token = 'T'.repeat(40);
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `${'x'.repeat(480)} bad token ${token}` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api`;
    const client = new ProviderClient({ provider: 'p', timeout: 1000, userAgent: 'ua' });
    const error = (await client.json({ url, accessToken: token }).catch((e: unknown) => e)) as Error & { oauthError: { data: string } };
    server.close();
    expect(error.message).not.toMatch(/TTTT/);
    expect(error.oauthError.data).not.toMatch(/TTTT/);
    expect(error.oauthError.data).toContain('[redacted]');
  });
});

// Rows: error responses on the callback, token and profile failures, parseErrorResponse, timeouts, the error
// classes, and the options passport-oauth2 reads (see the packages' READMEs, "Errors" and "Options").
import { PROVIDER_FAILURE_STATUS } from '@maniapass/http';
import passportOAuth2 from 'passport-oauth2';
import { USER, type Subject } from './subjects';
import type { Row } from './table';

type Callback = (err: unknown, ...results: unknown[]) => void;
interface NodeOAuth2 {
  useAuthorizationHeaderforGET(use: boolean): void;
  get(url: string, accessToken: string, callback: Callback): void;
}

const STATE = { state: true };
const { AuthorizationError, InternalOAuthError, TokenError } = passportOAuth2;

class CustomTokenError extends Error {
  constructor(
    message: string,
    readonly upstream: number,
  ) {
    super(message);
    this.name = 'CustomTokenError';
  }
}

/** The profile call of every hand-written passport-oauth2 subclass (passport-github2 and the like), for plain passport-oauth2. */
function handWrittenUserProfile(s: Subject) {
  return function (this: { _oauth2: NodeOAuth2 }, accessToken: string, done: Callback) {
    this._oauth2.useAuthorizationHeaderforGET(true);
    // TrackMage's profile URL needs the user's id: the emulator, in auto-approve mode, signs in its first user.
    this._oauth2.get(s.endpoints.userProfileURL.replace('{id}', encodeURIComponent(s.emulator.users[0]!.id)), accessToken, (err, body) => {
      if (err) return done(new InternalOAuthError('Failed to fetch user profile', err));
      return done(null, { provider: s.provider.name, _raw: body });
    });
  };
}

/** Options and overrides that give plain passport-oauth2 a profile call (the headers these APIs need). */
function withProfileCall(s: Subject) {
  if (!s.isPlain) return {};
  const apiKey = s.emulator.strategyOptions().apiKey;
  return {
    options: { scope: s.provider.profileScope, customHeaders: { Accept: 'application/json', ...(apiKey ? { 'X-Api-Key': apiKey } : {}) } },
    overrides: { userProfile: handWrittenUserProfile(s) as never },
  };
}

const tokenFault = (body: object, status = 400) => ({ type: 'status' as const, status, body: JSON.stringify(body) });

export const callbackErrorRows: Row[] = [
  {
    name: "differs: access_denied lands on failureRedirect with a fixed message (failureMessage), never the provider's text (passport-oauth2 shows it)",
    async run(s) {
      const session = await s.start({ options: STATE });
      s.emulator.fault('authorize', { type: 'deny' }, { times: 1 });
      expect(await session.signIn()).toEqual({
        kind: 'failure',
        messages: [s.isPlain ? 'The resource owner denied the request.' : `Access denied at ${s.provider.name}`],
      });
    },
  },
  {
    name: "differs: error, error_description and error_uri with this login's state are an AuthorizationError, status 500 (passport-oauth2: 502/503 by code)",
    async run(s) {
      for (const [code, plainStatus] of [
        ['temporarily_unavailable', 503],
        ['server_error', 502],
        ['invalid_scope', 500],
      ] as const) {
        const session = await s.start({ options: STATE });
        const { authorizeURL } = await session.begin();
        const state = authorizeURL!.searchParams.get('state')!;
        const outcome = await session.finish(
          `/auth/${s.provider.name}/callback?error=${code}&error_description=Try+again+later&error_uri=https%3A%2F%2Fstatus.example%2F&state=${state}`,
        );
        const status = s.isPlain ? plainStatus : PROVIDER_FAILURE_STATUS;
        expect(outcome).toEqual({
          kind: 'error',
          status,
          error: { name: 'AuthorizationError', message: 'Try again later', code, uri: 'https://status.example/', status },
        });
        expect(session.errors[0]).toBeInstanceOf(AuthorizationError);
      }
    },
  },
  {
    name: "differs: an error response whose state is not this login's gets a fixed message, never the text or link it carries (passport-oauth2 shows them)",
    async run(s) {
      const session = await s.start({ options: STATE });
      await session.begin();
      const forged = await session.finish(
        `/auth/${s.provider.name}/callback?error=server_error&error_description=Call+0800+123&error_uri=https%3A%2F%2Fevil.example&state=forged`,
      );
      const denied = await session.finish(`/auth/${s.provider.name}/callback?error=access_denied&error_description=Call+0800+123`);
      if (s.isPlain) {
        expect(forged).toMatchObject({ kind: 'error', error: { name: 'AuthorizationError', message: 'Call 0800 123', uri: 'https://evil.example' } });
        expect(denied).toEqual({ kind: 'failure', messages: ['Call 0800 123'] });
        return;
      }
      expect(forged).toEqual({
        kind: 'error',
        status: PROVIDER_FAILURE_STATUS,
        error: {
          name: 'AuthorizationError',
          message: `${s.provider.name} authorization failed: server_error`,
          code: 'server_error',
          status: PROVIDER_FAILURE_STATUS,
        },
      });
      expect(denied).toEqual({ kind: 'failure', messages: [`Access denied at ${s.provider.name}`] });
    },
  },
  {
    name: 'differs: with state: false nothing verifies an error response, so its text is not shown either (passport-oauth2 shows it)',
    async run(s) {
      const session = await s.start({ options: { state: false } });
      s.emulator.fault('authorize', { type: 'deny' }, { times: 1 });
      expect(await session.signIn()).toEqual({
        kind: 'failure',
        messages: [s.isPlain ? 'The resource owner denied the request.' : `Access denied at ${s.provider.name}`],
      });
    },
  },
];

export const providerErrorRows: Row[] = [
  {
    name: "differs: a token endpoint error is a TokenError with the provider's code and text, status 500 and the provider's status as upstreamStatus",
    async run(s) {
      const session = await s.start({ options: STATE });
      s.emulator.fault('token', tokenFault({ error: 'invalid_grant', error_description: 'Code expired' }), { times: 1 });
      const outcome = await session.signIn();
      expect(session.errors[0]).toBeInstanceOf(TokenError);
      if (s.isPlain) {
        expect(outcome).toEqual({ kind: 'error', status: 500, error: { name: 'TokenError', message: 'Code expired', code: 'invalid_grant', status: 500 } });
      } else {
        expect(outcome).toEqual({
          kind: 'error',
          status: PROVIDER_FAILURE_STATUS,
          error: {
            name: 'TokenError',
            message: `${s.provider.name}: Code expired`,
            code: 'invalid_grant',
            status: PROVIDER_FAILURE_STATUS,
            upstreamStatus: 400,
          },
        });
      }
    },
  },
  {
    name: 'a parseErrorResponse(body, status) override makes the error the login fails with',
    async run(s) {
      const calls: Array<[string, number]> = [];
      const session = await s.start({
        options: STATE,
        overrides: {
          parseErrorResponse: ((body: string, status: number) => {
            calls.push([body, status]);
            const json = JSON.parse(body) as { error_description?: string };
            return new CustomTokenError(`custom: ${json.error_description}`, status);
          }) as never,
        },
      });
      s.emulator.fault('token', tokenFault({ error: 'invalid_grant', error_description: 'Code expired' }, 401), { times: 1 });
      expect(await session.signIn()).toMatchObject({ kind: 'error', status: 500, error: { name: 'CustomTokenError', message: 'custom: Code expired' } });
      expect(calls).toEqual([[JSON.stringify({ error: 'invalid_grant', error_description: 'Code expired' }), 401]]);
      expect(session.errors[0]).toBeInstanceOf(CustomTokenError);
    },
  },
  {
    name: 'differs: parseErrorResponse gets the body with the client secret masked (passport-oauth2 passes it as received)',
    async run(s) {
      const secret = s.emulator.strategyOptions().clientSecret;
      const bodies: string[] = [];
      const session = await s.start({
        options: STATE,
        overrides: {
          parseErrorResponse: ((body: string) => {
            bodies.push(body);
            return new CustomTokenError('refused', 400);
          }) as never,
        },
      });
      s.emulator.fault('token', tokenFault({ error: 'invalid_client', error_description: `client_secret=${secret} is wrong` }), { times: 1 });
      await session.signIn();
      expect(bodies).toHaveLength(1);
      if (s.isPlain) expect(bodies[0]).toContain(secret);
      else expect(bodies[0]).toBe(JSON.stringify({ error: 'invalid_client', error_description: 'client_secret=[redacted] is wrong' }));
    },
  },
  {
    name: "parseErrorResponse returning null: the failure is an InternalOAuthError (the collection's ProviderError)",
    async run(s) {
      const session = await s.start({ options: STATE, overrides: { parseErrorResponse: (() => null) as never } });
      s.emulator.fault('token', tokenFault({ error: 'invalid_grant' }), { times: 1 });
      const outcome = await session.signIn();
      expect(session.errors[0]).toBeInstanceOf(InternalOAuthError);
      expect(outcome).toMatchObject({ kind: 'error', status: 500, error: { name: s.isPlain ? 'InternalOAuthError' : 'ProviderError' } });
      if (!s.isPlain) expect(outcome).toMatchObject({ error: { upstreamStatus: 400, code: 'EHTTPSTATUS' } });
    },
  },
  {
    name: "differs: a failed profile call is an InternalOAuthError; the collection's names the provider, the URL without query and the upstream status",
    async run(s) {
      const extra = withProfileCall(s);
      const session = await s.start({ options: { ...STATE, ...extra.options }, overrides: extra.overrides });
      s.emulator.fault(s.provider.profileEndpoint, { type: 'status', status: 503 }, { times: 1 });
      const outcome = await session.signIn();
      const err = session.errors[0] as { provider?: string; url?: string };
      expect(err).toBeInstanceOf(InternalOAuthError);
      if (s.isPlain) {
        expect(outcome).toMatchObject({ kind: 'error', status: 500, error: { name: 'InternalOAuthError', message: 'Failed to fetch user profile' } });
        return;
      }
      expect(outcome).toMatchObject({
        kind: 'error',
        status: PROVIDER_FAILURE_STATUS,
        error: { name: 'ProviderError', code: 'EHTTPSTATUS', upstreamStatus: 503, status: PROVIDER_FAILURE_STATUS },
      });
      expect(err.provider).toBe(s.provider.name);
      expect(err.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[^?#]*$/);
    },
  },
  {
    name: 'differs: timeout bounds each call: a token endpoint slower than it fails with ETIMEDOUT and the limit (node-oauth waits)',
    async run(s) {
      const session = await s.start({ options: { ...STATE, timeout: 300 } });
      s.emulator.fault('token', { type: 'delay', ms: 700 }, { times: 1 });
      const outcome = await session.signIn();
      if (s.isPlain) expect(outcome).toEqual({ kind: 'success', user: USER });
      else expect(outcome).toMatchObject({ kind: 'error', error: { name: 'ProviderError', code: 'ETIMEDOUT', message: expect.stringContaining('300 ms') } });
    },
  },
  {
    name: 'differs: loginTimeout bounds the code exchange and profile calls together: calls each within timeout fail the sign-in past it',
    async run(s) {
      const extra = withProfileCall(s);
      const session = await s.start({ options: { ...STATE, timeout: 5000, loginTimeout: 500, ...extra.options }, overrides: extra.overrides });
      s.emulator.fault('token', { type: 'delay', ms: 300 }, { times: 1 });
      s.emulator.fault(s.provider.profileEndpoint, { type: 'delay', ms: 400 }, { times: 1 });
      const started = Date.now();
      const outcome = await session.signIn();
      if (s.isPlain) {
        expect(outcome).toEqual({ kind: 'success', user: USER });
        return;
      }
      expect(outcome).toMatchObject({
        kind: 'error',
        error: { name: 'ProviderError', code: 'ETIMEDOUT', message: expect.stringContaining('loginTimeout of 500 ms') },
      });
      expect(session.errors[0]).toBeInstanceOf(InternalOAuthError);
      // Generous: it ends at the deadline, not after the profile call's own 400 ms (let alone the 5 s timeout).
      expect(Date.now() - started).toBeLessThan(4000);
    },
  },
];

export const classRows: Row[] = [
  {
    name: "the exported error classes take passport-oauth2's positional constructors and are instances of its classes",
    async run(s) {
      const classes = s.isPlain ? passportOAuth2 : s.provider.exports;
      const token = new classes.TokenError('Code expired', 'invalid_grant', 'https://docs.example/errors', 400);
      expect(token).toBeInstanceOf(TokenError);
      expect(token).toMatchObject({ name: 'TokenError', message: 'Code expired', code: 'invalid_grant', uri: 'https://docs.example/errors', status: 400 });
      // Every argument is optional at runtime (the DefinitelyTyped declaration of passport-oauth2 says otherwise).
      expect(new (classes.TokenError as unknown as new () => object)()).toMatchObject({ code: 'invalid_request', status: 500 });

      const authorization = new classes.AuthorizationError('Denied', 'access_denied');
      expect(authorization).toBeInstanceOf(AuthorizationError);
      expect(authorization).toMatchObject({ name: 'AuthorizationError', message: 'Denied', code: 'access_denied', status: 403 });

      const cause = { statusCode: 503, data: 'down' };
      const internal = new classes.InternalOAuthError('Failed to fetch user profile', cause);
      expect(internal).toBeInstanceOf(InternalOAuthError);
      expect(internal).toMatchObject({ name: 'InternalOAuthError', message: 'Failed to fetch user profile', oauthError: cause });
      expect(internal.toString()).toBe('InternalOAuthError: Failed to fetch user profile (status: 503 data: down)');

      if (s.isPlain) return;
      const provider = new s.provider.exports.ProviderError('Failed to fetch user profile', cause);
      expect(provider).toBeInstanceOf(InternalOAuthError);
      expect(provider).toMatchObject({ name: 'ProviderError', message: 'Failed to fetch user profile', oauthError: cause, status: PROVIDER_FAILURE_STATUS });
      expect(provider.toString()).toBe('ProviderError: Failed to fetch user profile (status: 503 data: down)');
    },
  },
];

export const optionRows: Row[] = [
  {
    name: 'differs: clientID, clientSecret and callbackURL are required, a missing or empty one a TypeError naming it (passport-oauth2 requires clientID alone)',
    async run(s) {
      const base = { callbackURL: 'http://127.0.0.1/cb' };
      for (const key of ['clientID', 'clientSecret', 'callbackURL']) {
        for (const value of [undefined, '']) {
          const create = () => s.create({ ...base, [key]: value });
          if (s.isPlain && key !== 'clientID') expect(create).not.toThrow();
          else expect(create).toThrow(s.isPlain ? 'OAuth2Strategy requires a clientID option' : new RegExp(`requires the ${key} option`));
          if (!s.isPlain) expect(create).toThrow(TypeError);
        }
      }
    },
  },
  {
    name: 'differs: scopeSeparator other than a space is refused at construction, saying why (passport-oauth2 joins the scopes with it)',
    async run(s) {
      const scope = s.provider.perRequestScope ?? ['a', 'b'];
      const create = () => s.create({ callbackURL: 'http://127.0.0.1/cb', scope, scopeSeparator: ',' });
      if (!s.isPlain) {
        expect(create).toThrow(TypeError);
        expect(create).toThrow(/scopeSeparator "," is not supported: .*space-separated scopes/);
        return;
      }
      const session = await s.start({ options: { scope, scopeSeparator: ',' } });
      const begun = await session.begin();
      expect(begun.authorizeURL!.searchParams.get('scope')).toBe(scope.join(','));
    },
  },
  {
    name: 'scopeSeparator: " " is accepted, and a scope list reaches the authorize redirect space separated',
    only: (p) => p.perRequestScope !== undefined,
    async run(s) {
      const scope = s.provider.perRequestScope!;
      const session = await s.start({ options: { ...STATE, scope, scopeSeparator: ' ' } });
      expect((await session.begin()).authorizeURL!.searchParams.get('scope')).toBe(scope.join(' '));
    },
  },
  {
    name: 'differs: a pkce method passport-oauth2 does not implement is refused at construction (passport-oauth2 errs at each sign-in)',
    async run(s) {
      if (!s.isPlain) {
        expect(() => s.create({ callbackURL: 'http://127.0.0.1/cb', pkce: 'S512' })).toThrow(/pkce must be true, false, 'S256' or 'plain'/);
        return;
      }
      const session = await s.start({ options: { state: true, pkce: 'S512' } });
      expect(await session.begin()).toMatchObject({ status: 500, body: { error: { message: 'Unsupported code verifier transformation method: S512' } } });
    },
  },
  {
    name: 'customHeaders are sent with the code exchange',
    async run(s) {
      const session = await s.start({ options: { ...STATE, customHeaders: { 'X-Trace': 'compat-1' } } });
      expect(await session.signIn()).toEqual({ kind: 'success', user: USER });
      expect(s.emulator.lastRequest('token')!.headers['x-trace']).toBe('compat-1');
      if (!s.isPlain) expect(s.emulator.lastRequest(s.provider.profileEndpoint)!.headers['x-trace']).toBe('compat-1');
    },
  },
];

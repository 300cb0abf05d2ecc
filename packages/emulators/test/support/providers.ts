// The four OAuth emulators as the RFC 6749 tests and the standard-client tests drive them: their paths, a
// documented scope, and each provider's documented departures from RFC 6749 (sources in the README).
import {
  startManiaplanetEmulator,
  startToornamentEmulator,
  startTrackmageEmulator,
  startTrackmaniaEmulator,
  type EmulatedUser,
  type EmulatorClient,
  type OAuthEmulator,
} from '@maniapass/emulators';

export type AnyEmulator = OAuthEmulator<EmulatedUser>;

export interface StartOptions {
  clients?: EmulatorClient[];
  autoApprove?: boolean;
  refreshTokenLifetime?: number;
}

export interface ProviderCase {
  name: 'trackmania' | 'maniaplanet' | 'trackmage' | 'toornament';
  start(options?: StartOptions): Promise<AnyEmulator>;
  authorizePath: string;
  tokenPath: string;
  /** A documented scope for a user's sign-in; none where the provider has none (TrackMage). */
  userScope?: string;
  /** A documented scope the client-credentials grant takes. */
  clientScope: string;
  /** The documented `token_type`, letter case included. */
  tokenType: 'bearer' | 'Bearer';
  /** The access token's claim names, as the provider documents them. */
  claimNames: string[];
  quirks: {
    /** TrackMage (FOSOAuthServerBundle): `invalid_client` is 400 without a challenge (TMG-SDK's test). */
    invalidClientStatus: 400 | 401;
    /** Where the error's text is: RFC 6749's `error_description`, or league's `{ error, message, hint }`. */
    errorText: 'error_description' | 'message';
    /**
     * When a token answer says `"scope": null`: TrackMage for every user token (TMG-DOC), Toornament when no scope
     * was asked (TRN-PAGES). openid-client refuses such an answer.
     */
    nullScope: 'user-tokens' | 'when-none-asked' | 'never';
    /** Trackmania: client credentials ignore `scope` (TMDOC); the others refuse an unknown one. */
    clientCredentialsScope: 'checked' | 'ignored';
  };
}

const LEAGUE_CLAIMS = ['aud', 'exp', 'iat', 'jti', 'nbf', 'scopes', 'sub'];

export const PROVIDERS: ProviderCase[] = [
  {
    name: 'trackmania',
    start: (o) => startTrackmaniaEmulator(o) as unknown as Promise<AnyEmulator>,
    authorizePath: '/oauth/authorize',
    tokenPath: '/api/access_token',
    userScope: 'clubs',
    clientScope: 'clubs',
    tokenType: 'bearer',
    claimNames: LEAGUE_CLAIMS,
    quirks: { invalidClientStatus: 401, errorText: 'error_description', nullScope: 'never', clientCredentialsScope: 'ignored' },
  },
  {
    name: 'maniaplanet',
    start: (o) => startManiaplanetEmulator(o) as unknown as Promise<AnyEmulator>,
    authorizePath: '/login/oauth2/authorize',
    tokenPath: '/login/oauth2/access_token',
    userScope: 'basic',
    clientScope: 'basic',
    tokenType: 'Bearer',
    claimNames: LEAGUE_CLAIMS,
    quirks: { invalidClientStatus: 401, errorText: 'message', nullScope: 'never', clientCredentialsScope: 'checked' },
  },
  {
    name: 'trackmage',
    start: (o) => startTrackmageEmulator(o) as unknown as Promise<AnyEmulator>,
    authorizePath: '/oauth/v2/auth',
    tokenPath: '/oauth/v2/token',
    clientScope: 'user',
    tokenType: 'bearer',
    claimNames: ['exp', 'iat', 'roles', 'username'],
    quirks: { invalidClientStatus: 400, errorText: 'error_description', nullScope: 'user-tokens', clientCredentialsScope: 'checked' },
  },
  {
    name: 'toornament',
    start: (o) => startToornamentEmulator(o) as unknown as Promise<AnyEmulator>,
    authorizePath: '/oauth2/authorize',
    tokenPath: '/oauth/v2/token',
    userScope: 'user:info',
    clientScope: 'organizer:view',
    tokenType: 'bearer',
    claimNames: LEAGUE_CLAIMS,
    quirks: { invalidClientStatus: 401, errorText: 'message', nullScope: 'when-none-asked', clientCredentialsScope: 'checked' },
  },
];

export const REDIRECT = 'http://127.0.0.1:9/callback';

/** RFC 6749 Appendix B: application/x-www-form-urlencoded, as a client must encode Basic credentials (§2.3.1). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

export function basic(id: string, secret: string, encode: (s: string) => string = formEncode): string {
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A form POST to the token endpoint, answered as status, headers and the parsed JSON body. */
export async function postToken(
  emulator: AnyEmulator,
  p: ProviderCase,
  form: Record<string, string>,
  init: { headers?: Record<string, string>; query?: string } = {},
): Promise<RawAnswer> {
  const res = await fetch(`${emulator.url}${p.tokenPath}${init.query ? `?${init.query}` : ''}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...init.headers },
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
}

/** Approves an authorization at the emulator (auto-approve) and returns the redirect's query. */
export async function authorize(emulator: AnyEmulator, p: ProviderCase, query: Record<string, string>): Promise<{ status: number; location: URL | undefined }> {
  const res = await fetch(`${emulator.url}${p.authorizePath}?${new URLSearchParams(query)}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined };
}

/** A code for the emulator's first client, through the authorize endpoint in auto-approve mode. */
export async function codeFor(emulator: AnyEmulator, p: ProviderCase, scope = p.userScope): Promise<string> {
  const client = emulator.clients[0]!;
  const { location } = await authorize(emulator, p, {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: REDIRECT,
    state: 'st',
    ...(scope ? { scope } : {}),
  });
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`${p.name}: no code in ${location?.toString()}`);
  return code;
}

/** The error text of a token error body, wherever the provider puts it. */
export function errorText(p: ProviderCase, body: Record<string, unknown>): unknown {
  return body[p.quirks.errorText];
}

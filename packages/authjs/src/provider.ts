import { redactWhole, type ProviderProfile, type TokenResponse } from '@maniapass/http';
import { tokenRequestFor, type GrantFields, type OAuthProviderDefinition, type ProviderHttpOptions, type ProviderOptions } from '@maniapass/providers';
import type { OAuthConfig } from '@auth/core/providers' with { 'resolution-mode': 'import' };
import { setUpProvider } from './setup';
import { conformTokenAnswer } from './token-answer';

let customFetchKey: symbol | undefined;

/**
 * The key under which Auth.js takes a provider's own fetch (`customFetch`, a symbol exported by @auth/core), read when
 * the first provider is made: loading this package alone loads no Auth.js (an ES module).
 */
function customFetch(): symbol {
  if (customFetchKey) return customFetchKey;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    customFetchKey = (require('@auth/core') as { customFetch: symbol }).customFetch;
  } catch (err) {
    if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error('@maniapass/authjs: Trackmania() and the others are Auth.js v5 providers and need @auth/core; for NextAuth 4, use TrackmaniaV4()...', {
      cause: err,
    });
  }
  return customFetchKey;
}

/**
 * A token endpoint's error body with every secret masked, as Auth.js will parse and log it: a JSON body is read and
 * written again first, so that a secret echoed with escapes (`\u0073...`) is masked as the text it decodes to.
 */
function maskedErrorBody(body: string, secrets: readonly string[]): string {
  let normalized = body;
  try {
    normalized = JSON.stringify(JSON.parse(body));
  } catch {
    // Not JSON: masked as it is.
  }
  return redactWhole(normalized, secrets);
}

/** The options of every Auth.js provider here, in Auth.js's spelling. */
export interface AuthjsProviderOptions extends Pick<ProviderOptions, 'scope' | 'authorizationURL' | 'tokenURL' | 'userProfileURL'>, ProviderHttpOptions {
  /** The client id; default the environment's `AUTH_<ID>_ID` (`AUTH_TRACKMANIA_ID`), as Auth.js reads it. */
  clientId?: string;
  /** The client secret; default `AUTH_<ID>_SECRET`. Sent in the token request body only; never in a message. */
  clientSecret?: string;
}

/** The user Auth.js stores: from the provider's normalized profile. */
export interface AuthjsUser {
  /** The provider's stable user id. */
  id: string;
  /** The display name, or `null`. */
  name: string | null;
  /** The e-mail address where the provider gives one (ManiaPlanet with `email`, TrackMage), else `null`. */
  email: string | null;
  /** The avatar URL where the provider gives one (TrackMage), else `null`. */
  image: string | null;
}

/** The user Auth.js stores, from a normalized profile. */
export function authjsUser(profile: ProviderProfile): AuthjsUser {
  return { id: profile.id, name: profile.displayName || null, email: profile.emails?.[0]?.value ?? null, image: profile.photos?.[0]?.value ?? null };
}

/**
 * An Auth.js v5 (`@auth/core`) OAuth provider from a definition. Auth.js runs oauth4webapi, which would refuse some
 * of these providers' answers as they are and cannot add their headers; so the provider handles it itself:
 * - the token request goes through the provider's own fetch (Auth.js's `customFetch`) on the HTTP layer: the
 *   definition's request (Toornament's `X-Api-Key`, TrackMage's documented JSON exchange), the timeout and size
 *   limits, and the answer conformed (`scope: null` removed, a missing `token_type` set) or, on an error, masked;
 * - the profile is the definition's loader (`userinfo.request`): Toornament's API key, TrackMage's `user_id` from
 *   the token answer, ManiaPlanet's e-mail call with the `email` scope;
 * - the client authenticates in the body (`client_secret_post`), as every provider here documents; state is checked,
 *   and PKCE is off, as none of them documents it.
 */
export function authjsProvider<P extends ProviderProfile, T extends TokenResponse, S>(
  definition: OAuthProviderDefinition<P, T, S>,
  options: AuthjsProviderOptions & object = {},
): OAuthConfig<P> {
  const { config, http } = setUpProvider(definition, options, `${definition.id} Auth.js provider`);
  const { endpoints, settings } = config;
  const context = { clientID: config.clientID, clientSecret: config.clientSecret, endpoints, settings };

  /** Auth.js's token request, replaced by the definition's on the HTTP layer; the answer conformed or masked. */
  const tokenFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== endpoints.tokenURL) return fetch(input, init);
    const grant: GrantFields = {};
    // The client's credentials are the definition's to place: oauth4webapi's copies are dropped.
    for (const [key, value] of new URLSearchParams(init?.body as URLSearchParams | string | undefined))
      if (key !== 'client_id' && key !== 'client_secret') grant[key] = value;
    const grantSecrets = [grant.code, grant.refresh_token, grant.code_verifier].filter((v): v is string => typeof v === 'string');
    const response = await http.send(tokenRequestFor(definition, grant, context), grantSecrets);
    const ok = response.status >= 200 && response.status <= 299;
    const body = ok ? conformTokenAnswer(response.body, definition.tokenAnswer) : maskedErrorBody(response.body, [...config.secrets, ...grantSecrets]);
    return new Response(body, { status: response.status, headers: { 'Content-Type': 'application/json' } });
  };

  const provider = {
    id: definition.id,
    name: definition.name,
    type: 'oauth',
    clientId: config.clientID,
    clientSecret: config.clientSecret,
    client: { token_endpoint_auth_method: 'client_secret_post' },
    checks: ['state'],
    // Always a scope, even empty (`scope=`): without one Auth.js asks for OpenID's `openid profile email`.
    authorization: { url: endpoints.authorizationURL, params: { scope: config.scope.join(' ') } },
    token: { url: endpoints.tokenURL },
    userinfo: {
      url: endpoints.userProfileURL,
      request: ({ tokens }: { tokens: Record<string, unknown> }) =>
        definition.loadProfile(http, String(tokens.access_token), { tokenResponse: tokens as T, scope: config.scope, endpoints, settings }),
    },
    profile: (profile: P) => authjsUser(profile),
    [customFetch()]: tokenFetch,
  };
  return provider as unknown as OAuthConfig<P>;
}

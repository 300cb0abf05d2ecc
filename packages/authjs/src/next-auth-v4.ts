import { timingSafeEqual } from 'node:crypto';
import type { ProviderProfile, TokenResponse } from '@maniapass/http';
import {
  maniaplanet,
  toornament,
  trackmage,
  trackmania,
  tokenRequestFor,
  type ManiaplanetProfile,
  type OAuthProviderDefinition,
  type ToornamentProfile,
  type TrackmageProfile,
  type TrackmaniaProfile,
} from '@maniapass/providers';
import { authjsUser, type AuthjsProviderOptions, type AuthjsUser } from './provider';
import type { ManiaPlanetOptions, ToornamentOptions, TrackMageOptions, TrackmaniaOptions } from './providers';
import { setUpProvider } from './setup';

/** The token endpoint's answer as NextAuth 4 keeps it (its `TokenSet`, then the account row): standard fields only. */
export type NextAuthV4Tokens = Record<string, unknown> & {
  /** The access token. */
  access_token: string;
};

/**
 * A NextAuth 4 OAuth provider (next-auth 4's `OAuthConfig`), as `providers: [...]` takes it. Written here rather
 * than imported, so that this package needs no next-auth installed; its shape is next-auth 4.24's.
 */
export interface NextAuthV4Provider<P extends ProviderProfile> {
  /** The provider id: the callback is `/api/auth/callback/<id>`. */
  id: P['provider'];
  /** The name on NextAuth's sign-in page. */
  name: string;
  /** Always `'oauth'`. */
  type: 'oauth';
  /** The client id. */
  clientId: string;
  /** `['state']`: state checked, no PKCE (no provider here documents it). */
  checks: Array<'state'>;
  /** openid-client's client metadata. */
  client: {
    /** The client authenticates in the body, as every provider here documents. */
    token_endpoint_auth_method: 'client_secret_post';
  };
  /** No ID token: these providers are OAuth 2, not OpenID Connect. */
  idToken: false;
  /** The consent page and its parameters. */
  authorization: {
    /** The provider's authorization endpoint. */
    url: string;
    /** Added to the consent page's query. */
    params: {
      /** The scope, space-separated; explicit even when empty (openid-client asks for `openid` otherwise). */
      scope: string;
    };
  };
  /** The token endpoint, and the exchange made there by the definition on the HTTP layer. */
  token: {
    /** The provider's token endpoint. */
    url: string;
    /** Checks the callback's state against NextAuth's, then exchanges the code: the tokens NextAuth keeps. */
    request(context: { params: { code?: string; state?: string }; checks: { state?: string }; provider: { callbackUrl: string } }): Promise<{
      /** The standard fields of the token answer. */
      tokens: NextAuthV4Tokens;
    }>;
  };
  /** The profile endpoint, and the definition's loader that reads it. */
  userinfo: {
    /** The provider's profile endpoint. */
    url: string;
    /**
     * Loads the typed profile (`P`, handed to `profile()`) with the tokens of the exchange. Declared as an `object`:
     * NextAuth 4's `Profile` has a string `name`, which the normalized profile's (passport's `{ familyName... }`) is not.
     */
    request(context: { tokens: Record<string, unknown> }): Promise<object>;
  };
  /** The user NextAuth stores, from the typed profile. */
  profile(profile: P): AuthjsUser;
}

/** A bound on the token answers kept between the exchange and the profile call of the same sign-in. */
const PENDING_LIMIT = 1000;

/** Whether the callback's `state` is the one NextAuth kept in its signed cookie (next-auth 4 compares it only in openid-client's own exchange). */
function sameState(received: string | undefined, expected: string | undefined): boolean {
  if (typeof received !== 'string' || typeof expected !== 'string') return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A NextAuth 4 OAuth provider from a definition. NextAuth 4 runs openid-client 5, which cannot add these providers'
 * headers nor read their answers as they are; so the provider does the exchange and the profile load itself:
 * - `token.request`: the callback's `state` checked against NextAuth's cookie, then the definition's code exchange
 *   on the HTTP layer (client credentials in the body, Toornament's `X-Api-Key`, TrackMage's JSON exchange,
 *   timeout, size limits, errors masked). NextAuth keeps the standard fields (`scope: null` dropped); the provider's
 *   own fields (TrackMage's `user_id`) stay here until the profile call, so that an adapter's account row gets
 *   only the columns of NextAuth's schema;
 * - `userinfo.request`: the definition's profile loader; `profile()` maps it to NextAuth's user.
 * The object carries no client secret nor API key (NextAuth's debug log prints it): the exchange reads them here.
 */
export function nextAuthV4Provider<P extends ProviderProfile, T extends TokenResponse, S>(
  definition: OAuthProviderDefinition<P, T, S>,
  options: AuthjsProviderOptions & object = {},
): NextAuthV4Provider<P> {
  const label = `${definition.id} NextAuth 4 provider`;
  const { config, http } = setUpProvider(definition, options, label);
  const { endpoints, settings } = config;
  const context = { clientID: config.clientID, clientSecret: config.clientSecret, endpoints, settings };
  const providerFields = definition.tokenAnswer.extraFields ?? [];
  /** Full token answers with provider fields, by access token, from the exchange to the profile call. */
  const pending = new Map<string, T>();

  return {
    id: definition.id,
    name: definition.name,
    type: 'oauth',
    clientId: config.clientID,
    // No clientSecret: only the exchange here sends it, and NextAuth's debug log prints the provider object.
    checks: ['state'],
    client: { token_endpoint_auth_method: 'client_secret_post' },
    idToken: false,
    // Always a scope, even empty (`scope=`): without one openid-client asks for `openid`.
    authorization: { url: endpoints.authorizationURL, params: { scope: config.scope.join(' ') } },
    token: {
      url: endpoints.tokenURL,
      async request({ params, checks, provider }) {
        if (!sameState(params.state, checks.state)) throw new Error(`${label}: the callback's state is not the one this sign-in was started with`);
        const code = params.code;
        if (typeof code !== 'string' || code === '') throw new Error(`${label}: the callback has no authorization code`);
        const grant = { grant_type: 'authorization_code', code, redirect_uri: provider.callbackUrl };
        const answer = (await http.token(tokenRequestFor(definition, grant, context), [code])) as T;
        const tokens: NextAuthV4Tokens = { access_token: answer.access_token };
        for (const [key, value] of Object.entries(answer)) if (value !== null && value !== undefined && !providerFields.includes(key)) tokens[key] = value;
        tokens.token_type ??= definition.tokenAnswer.tokenType;
        if (providerFields.some((field) => field in answer)) {
          if (pending.size >= PENDING_LIMIT) pending.delete(pending.keys().next().value!);
          pending.set(answer.access_token, answer);
        }
        return { tokens };
      },
    },
    userinfo: {
      url: endpoints.userProfileURL,
      request({ tokens }) {
        const accessToken = String(tokens.access_token);
        const tokenResponse = pending.get(accessToken) ?? (tokens as T);
        pending.delete(accessToken);
        return definition.loadProfile(http, accessToken, { tokenResponse, scope: config.scope, endpoints, settings });
      },
    },
    profile: (profile) => authjsUser(profile),
  };
}

/** Trackmania for NextAuth 4: `providers: [TrackmaniaV4({ clientId, clientSecret })]`. */
export function TrackmaniaV4(options: TrackmaniaOptions = {}): NextAuthV4Provider<TrackmaniaProfile> {
  return nextAuthV4Provider(trackmania, options);
}

/** ManiaPlanet for NextAuth 4. */
export function ManiaPlanetV4(options: ManiaPlanetOptions = {}): NextAuthV4Provider<ManiaplanetProfile> {
  return nextAuthV4Provider(maniaplanet, options);
}

/** TrackMage for NextAuth 4. */
export function TrackMageV4(options: TrackMageOptions = {}): NextAuthV4Provider<TrackmageProfile> {
  return nextAuthV4Provider(trackmage, options);
}

/** Toornament for NextAuth 4; the API key from `apiKey` or `AUTH_TOORNAMENT_API_KEY`. */
export function ToornamentV4(options: ToornamentOptions = {}): NextAuthV4Provider<ToornamentProfile> {
  const withKey: ToornamentOptions = { ...options, apiKey: options.apiKey ?? process.env.AUTH_TOORNAMENT_API_KEY };
  return nextAuthV4Provider(toornament, withKey);
}

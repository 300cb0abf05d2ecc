import { toTokenSet, type ProviderProfile, type TokenResponse } from '@maniapass/http';
import {
  configureProvider,
  providerClient,
  tokenRequestFor,
  type OAuthProviderDefinition,
  type ProviderHttpOptions,
  type ProviderOptions,
} from '@maniapass/providers';

/** better-auth's `OAuth2Tokens`, the fields these configurations fill. */
export interface OAuth2Tokens {
  /** `bearer` as the provider writes it. */
  tokenType?: string;
  /** The access token. */
  accessToken?: string;
  /** The refresh token, where the provider issues one. */
  refreshToken?: string;
  /** When the access token expires. */
  accessTokenExpiresAt?: Date;
  /** The granted scopes (the asked ones where the answer has none). */
  scopes?: string[];
  /** Not issued by these providers. */
  idToken?: string;
  /** The token endpoint's answer as received (TrackMage's `user_id`). */
  raw?: Record<string, unknown>;
}

/** better-auth's `OAuth2UserInfo`: what `getUserInfo` returns for better-auth to create or find the user. */
export interface OAuth2UserInfo {
  /** The provider's stable user id. */
  id: string;
  /** The display name. */
  name?: string;
  /** The provider's e-mail address, else `<id>@<provider>.invalid` (see the README). */
  email?: string | null;
  /** The avatar URL, where the provider gives one. */
  image?: string;
  /** Whether the provider says the address is verified; `false` for a synthesized one. */
  emailVerified: boolean;
}

/** The fields of better-auth's `GenericOAuthConfig` (generic OAuth plugin) these configurations set. */
export interface GenericOAuthConfig {
  /** The provider's id: `trackmania`. */
  providerId: string;
  /** The client id. */
  clientId: string;
  /** The client secret: sent in the token request body only. */
  clientSecret: string;
  /** The consent page. */
  authorizationUrl: string;
  /** The token endpoint (the code exchange itself is `getToken`). */
  tokenUrl: string;
  /** The profile endpoint (the profile itself is `getUserInfo`). */
  userInfoUrl: string;
  /** The scopes asked for. */
  scopes: string[];
  /** The callback URL, when given. */
  redirectURI?: string;
  /** Always `false`: no provider here documents PKCE. */
  pkce: boolean;
  /** Always `'post'`: the client credentials in the body, as each provider documents. */
  authentication: 'post' | 'basic';
  /** The code exchange, on the HTTP layer with the definition's request. */
  getToken: (data: { code: string; redirectURI: string; codeVerifier?: string }) => Promise<OAuth2Tokens>;
  /** The profile, from the definition's loader, as better-auth's user. */
  getUserInfo: (tokens: OAuth2Tokens) => Promise<OAuth2UserInfo | null>;
  /** As better-auth's: sign-ups only when requested. */
  disableImplicitSignUp?: boolean;
  /** As better-auth's: no sign-ups. */
  disableSignUp?: boolean;
  /** As better-auth's: update the user from the provider at each sign-in. */
  overrideUserInfo?: boolean;
}

/** The options of every configuration here: better-auth's provider-helper options, plus the provider's own. */
export interface BetterAuthProviderOptions extends Pick<ProviderOptions, 'authorizationURL' | 'tokenURL' | 'userProfileURL'>, ProviderHttpOptions {
  /** Required. */
  clientId: string;
  /** Required. Sent in the token request body only; never in a message. */
  clientSecret: string;
  /** Scopes, checked against the documented ones. Default: the provider's default scope. */
  scopes?: string[];
  /** The callback URL, when not better-auth's `/oauth2/callback/<providerId>`. */
  redirectURI?: string;
  /** As better-auth's: sign-ups only when requested. */
  disableImplicitSignUp?: boolean;
  /** As better-auth's: no sign-ups. */
  disableSignUp?: boolean;
  /** Update the user from the provider at each sign-in. */
  overrideUserInfo?: boolean;
}

const VERSION = '0.1.0';
// Token answers kept between getToken and getUserInfo of one sign-in, by access token (a bound on what is kept).
const MAX_PENDING = 1000;

/** The user better-auth stores, from a normalized profile; an address under `.invalid` where the provider gives none. */
export function betterAuthUser(profile: ProviderProfile): OAuth2UserInfo {
  const email = profile.emails?.[0];
  const user: OAuth2UserInfo = {
    id: profile.id,
    name: profile.displayName || profile.id,
    // better-auth keys accounts on an e-mail: RFC 2606's `.invalid` can never be delivered to anyone.
    email: email?.value ?? `${encodeURIComponent(profile.id).toLowerCase()}@${profile.provider}.invalid`,
    emailVerified: Boolean(email?.verified),
  };
  const image = profile.photos?.[0]?.value;
  if (image) user.image = image;
  return user;
}

/**
 * A better-auth generic OAuth configuration from a definition: PKCE off (no provider here documents it), the client
 * credentials in the body, the code exchange (`getToken`) and the profile (`getUserInfo`) on `@maniapass/http` with
 * the definition's request, headers and loader, so that each provider's quirks (Toornament's `X-Api-Key`,
 * TrackMage's `user_id` from the token answer, ManiaPlanet's e-mail call) hold, with a timeout on every call and no
 * secret in any error.
 */
export function betterAuthConfig<P extends ProviderProfile, T extends TokenResponse, S>(
  definition: OAuthProviderDefinition<P, T, S>,
  options: BetterAuthProviderOptions & object,
): GenericOAuthConfig {
  const label = `${definition.id} better-auth provider`;
  const config = configureProvider(
    definition,
    { ...options, clientID: options?.clientId, clientSecret: options?.clientSecret, scope: options?.scopes } as ProviderOptions,
    label,
  );
  const http = providerClient(config, options, `@maniapass/better-auth/${VERSION}`, label);
  const { endpoints, settings } = config;
  const pending = new Map<string, T>();

  const result: GenericOAuthConfig = {
    providerId: definition.id,
    clientId: config.clientID,
    clientSecret: config.clientSecret,
    authorizationUrl: endpoints.authorizationURL,
    tokenUrl: endpoints.tokenURL,
    userInfoUrl: endpoints.userProfileURL,
    scopes: [...config.scope],
    pkce: false,
    authentication: 'post',
    async getToken({ code, redirectURI }) {
      const request = tokenRequestFor(
        definition,
        { grant_type: 'authorization_code', code, redirect_uri: redirectURI },
        { clientID: config.clientID, clientSecret: config.clientSecret, endpoints, settings },
      );
      const raw = (await http.token(request, [code])) as T;
      const set = toTokenSet(raw);
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
      pending.set(set.accessToken, raw);
      const tokens: OAuth2Tokens = {
        tokenType: set.tokenType,
        accessToken: set.accessToken,
        scopes: set.scope ? set.scope.split(' ') : [...config.scope],
        raw,
      };
      if (set.refreshToken) tokens.refreshToken = set.refreshToken;
      if (set.expiresAt !== undefined) tokens.accessTokenExpiresAt = new Date(set.expiresAt * 1000);
      return tokens;
    },
    async getUserInfo(tokens) {
      const accessToken = tokens.accessToken;
      if (!accessToken) return null;
      const raw = (tokens.raw as T | undefined) ?? pending.get(accessToken) ?? ({ access_token: accessToken } as T);
      pending.delete(accessToken);
      const profile = await definition.loadProfile(http, accessToken, { tokenResponse: raw, scope: config.scope, endpoints, settings });
      return betterAuthUser(profile);
    },
  };
  for (const key of ['redirectURI', 'disableImplicitSignUp', 'disableSignUp', 'overrideUserInfo'] as const) {
    if (options[key] !== undefined) (result as unknown as Record<string, unknown>)[key] = options[key];
  }
  return result;
}

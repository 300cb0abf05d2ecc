import { AudienceError } from './errors';

/** Core (prod.trackmania.core.nadeo.online). */
export const AUDIENCE_CORE = 'NadeoServices';
/** Live (live-services.trackmania.nadeo.live) and Meet (meet.trackmania.nadeo.club). */
export const AUDIENCE_LIVE = 'NadeoLiveServices';
/** The public Trackmania API (api.trackmania.com), with OAuth client credentials. */
export const AUDIENCE_OAUTH = 'OAuth2';

/** A token audience, by its canonical name. */
export type Audience = typeof AUDIENCE_CORE | typeof AUDIENCE_LIVE | typeof AUDIENCE_OAUTH;
/** The audiences of tokens got with a server or service account's login and password. */
export type WebServicesAudience = typeof AUDIENCE_CORE | typeof AUDIENCE_LIVE;

// A Map, not an object literal: names come from users and configuration, and `'constructor'` or `'__proto__'`
// must not find what every object inherits.
const ALIASES: ReadonlyMap<string, Audience> = new Map([
  ['nadeoservices', AUDIENCE_CORE],
  ['core', AUDIENCE_CORE],
  ['prod', AUDIENCE_CORE],
  ['nadeoliveservices', AUDIENCE_LIVE],
  ['live', AUDIENCE_LIVE],
  ['meet', AUDIENCE_LIVE],
  ['club', AUDIENCE_LIVE],
  ['oauth', AUDIENCE_OAUTH],
  ['oauth2', AUDIENCE_OAUTH],
]);

/** The audience names `verifyAudience` accepts (any case), as shown in its error message. */
export const VALID_AUDIENCE_NAMES = "'NadeoServices' / 'core' / 'prod', 'NadeoLiveServices' / 'live' / 'meet' / 'club', 'OAuth2' / 'oauth'";

/** The audience a name stands for, case-insensitively; an `AudienceError` listing the valid names otherwise. */
export function verifyAudience(audience: unknown): Audience {
  const found = typeof audience === 'string' ? ALIASES.get(audience.trim().toLowerCase()) : undefined;
  if (!found) {
    // Never `String()` of an object: its own `toString` may throw, or say anything.
    const primitive = audience === null || (typeof audience !== 'object' && typeof audience !== 'function');
    const shown = typeof audience === 'string' ? `'${audience.slice(0, 40)}'` : primitive ? String(audience) : `a value of type ${typeof audience}`;
    throw new AudienceError(`invalid audience ${shown}: valid audiences are ${VALID_AUDIENCE_NAMES} (case is ignored)`);
  }
  return found;
}

/** Like `verifyAudience`, for the audiences a web-services (login and password) token can have. */
export function verifyWebServicesAudience(audience: unknown): WebServicesAudience {
  const found = verifyAudience(audience);
  if (found === AUDIENCE_OAUTH) {
    throw new AudienceError(
      "the 'OAuth2' audience is for OAuthToken (client credentials); a server or service account token takes 'NadeoServices' / 'core' / 'prod' or 'NadeoLiveServices' / 'live' / 'meet' / 'club'",
    );
  }
  return found;
}

/**
 * Whether a token whose `aud` claim is `aud` may be sent to a host that needs `audience`. Nadeo's tokens name
 * their audience in `aud` and must name this one; api.trackmania.com's name the client id, so for `OAuth2` only a
 * token of one of Nadeo's audiences is refused. A token without the claim (not a JWT) cannot be told apart: it fits.
 */
export function tokenFitsAudience(audience: Audience, aud: unknown): boolean {
  if (aud === undefined) return true;
  const claimed = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (audience === AUDIENCE_OAUTH) return !claimed.some((a) => a === AUDIENCE_CORE || a === AUDIENCE_LIVE);
  return claimed.includes(audience);
}

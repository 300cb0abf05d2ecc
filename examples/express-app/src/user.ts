import { redact } from '@maniapass/http';
import { toTokenSet, type ProviderProfile, type TokenResponse, type TokenSet } from '@maniapass/oauth2-core';
import { appError } from './errors';

/**
 * The profile fields the session keeps: the passport ones and a few provider-specific ones (ManiaPlanet's plain
 * nickname and zones, Toornament's country), each bounded. Nothing else of what the provider sent is kept.
 */
export interface SessionProfile {
  provider: string;
  id: string;
  displayName: string;
  username?: string;
  name?: { givenName?: string; middleName?: string; familyName?: string };
  emails?: Array<{ value: string; verified?: boolean }>;
  photos?: Array<{ value: string }>;
  displayNamePlain?: string;
  zonePath?: string;
  zones?: string[];
  country?: string;
}

/**
 * The signed-in user as the session keeps it. The tokens stay on the server (in the session store) because
 * refresh needs them; pages show only whether they exist and when they expire. Every field is bounded: the
 * store serializes the session on every change, and a provider's body is hostile.
 */
export interface SessionUser {
  provider: string;
  profile: SessionProfile;
  /**
   * The provider's profile body (`profile._json`) as JSON text, cut to a few kilobytes and a few levels, with the
   * sign-in's tokens masked in every encoding: a provider that echoes a token into its profile does not show it.
   */
  rawPreview: string;
  /** Scopes the token response says were granted, else the ones asked for. */
  scopes: string[];
  /** False when the provider did not report the granted scopes and `scopes` is what was asked for. */
  scopesReported: boolean;
  tokens: {
    accessToken: string;
    refreshToken?: string;
    tokenType: string;
    /** Epoch seconds. */
    expiresAt?: number;
  };
  signedInAt: number;
  refreshedAt?: number;
}

/** Bounds of what the session keeps of a sign-in. */
export const SESSION_USER_LIMITS = {
  /** Ids and tokens longer than this end the sign-in: a cut one would be another user's, or useless. */
  id: 256,
  token: 8192,
  /** Texts longer than this are cut (with `…`). */
  text: 256,
  url: 2048,
  /** Emails, photos, zones, scopes kept. */
  items: 10,
  scopes: 50,
  /** The raw profile preview: characters, nesting levels, members per object or array. */
  preview: { length: 4096, depth: 6, members: 50 },
} as const;

const L = SESSION_USER_LIMITS;

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** A string field, cut to `max`; undefined for anything that is not a string. */
function text(value: unknown, max: number = L.text): string | undefined {
  return typeof value === 'string' ? cut(value, max) : undefined;
}

/** A value the sign-in cannot do without, refused when longer than `max`. */
function whole(value: string, max: number, what: string): string {
  if (value.length > max) throw appError(502, 'The provider answered with an error', `The provider sent ${what} longer than ${max} characters.`);
  return value;
}

function list<T>(value: unknown, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const v of value) {
    if (out.length >= L.items) break;
    const kept = item(v);
    if (kept !== undefined) out.push(kept);
  }
  return out;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** Drops the undefined members, so that the session holds only what is there. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The allow-listed, bounded copy of a strategy's profile. */
export function sessionProfile(profile: ProviderProfile): SessionProfile {
  const p = profile as unknown as Record<string, unknown>;
  const name =
    p.name === undefined
      ? undefined
      : defined({ givenName: text(field(p.name, 'givenName')), middleName: text(field(p.name, 'middleName')), familyName: text(field(p.name, 'familyName')) });
  return defined({
    provider: whole(String(profile.provider), 64, 'a provider name'),
    id: whole(String(profile.id), L.id, 'a user id'),
    displayName: text(p.displayName) ?? '',
    username: text(p.username),
    name: name && Object.keys(name).length > 0 ? name : undefined,
    emails: list(p.emails, (e) => {
      const value = text(field(e, 'value'), 320);
      const verified = field(e, 'verified');
      return value === undefined ? undefined : defined({ value, verified: typeof verified === 'boolean' ? verified : undefined });
    }),
    photos: list(p.photos, (ph) => {
      const value = text(field(ph, 'value'), L.url);
      return value === undefined ? undefined : { value };
    }),
    displayNamePlain: text(p.displayNamePlain),
    zonePath: text(p.zonePath),
    zones: list(p.zones, (z) => text(z)),
    country: text(p.country, 8),
  });
}

/**
 * `value` as `JSON.stringify(value, null, 2)` would write it, within bounds: strings cut, objects and arrays past
 * a depth replaced by `"…"`, members past a count or past the length budget replaced by one `"…"` member. The
 * result is valid JSON and its work is bounded, whatever the nesting (a 20 000-level body makes
 * `JSON.stringify` itself throw).
 */
export function previewJson(value: unknown, limits: { length: number; depth: number; members: number } = L.preview): string {
  let out = '';
  const scalar = (v: unknown): string =>
    typeof v === 'string' ? JSON.stringify(cut(v, L.text)) : typeof v === 'number' || typeof v === 'boolean' ? JSON.stringify(v) : 'null';
  const walk = (v: unknown, depth: number, indent: string): void => {
    if (v === null || typeof v !== 'object') {
      out += scalar(v);
      return;
    }
    const isArray = Array.isArray(v);
    const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
    if (depth >= limits.depth) {
      out += '"…"';
      return;
    }
    const inner = `${indent}  `;
    let count = 0;
    out += open;
    const member = (key: string | undefined, item: unknown): boolean => {
      out += `${count === 0 ? '' : ','}\n${inner}`;
      count += 1;
      if (count > limits.members || out.length >= limits.length) {
        out += isArray ? '"…"' : '"…": "…"';
        return false;
      }
      if (key !== undefined) out += `${JSON.stringify(cut(key, L.text))}: `;
      walk(item, depth + 1, inner);
      return true;
    };
    if (isArray) {
      for (const item of v as unknown[]) if (!member(undefined, item)) break;
    } else {
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        const item = (v as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function') continue;
        if (!member(key, item)) break;
      }
    }
    out += count === 0 ? close : `\n${indent}${close}`;
  };
  walk(value, 0, '');
  return out;
}

/** The scope field of a token response: space- or comma-separated string, or array (providers differ); bounded. */
function parseGrantedScope(scope: unknown): string[] | undefined {
  const all = Array.isArray(scope) ? scope : typeof scope === 'string' ? scope.slice(0, L.scopes * L.text).split(/[\s,]+/) : undefined;
  if (!all) return undefined;
  const out: string[] = [];
  for (const s of all) {
    if (out.length >= L.scopes) break;
    if (typeof s === 'string' && s) out.push(cut(s, 128));
  }
  return out;
}

function tokensOf(set: TokenSet, previousRefreshToken?: string): SessionUser['tokens'] {
  const tokens: SessionUser['tokens'] = { accessToken: whole(set.accessToken, L.token, 'an access token'), tokenType: cut(String(set.tokenType), 32) };
  const refreshToken = set.refreshToken ?? previousRefreshToken;
  if (refreshToken !== undefined) tokens.refreshToken = whole(refreshToken, L.token, 'a refresh token');
  if (set.expiresAt !== undefined && Number.isFinite(set.expiresAt)) tokens.expiresAt = set.expiresAt;
  return tokens;
}

/** Builds the session user from what the strategy hands to verify. */
export function toSessionUser(params: TokenResponse, profile: ProviderProfile, requestedScope: readonly string[], refreshToken?: string): SessionUser {
  const granted = parseGrantedScope(params.scope);
  const bounded = sessionProfile(profile);
  return {
    provider: bounded.provider,
    profile: bounded,
    rawPreview: redact(previewJson(profile._json), [params.access_token, params.refresh_token, refreshToken]),
    scopes: granted ?? [...requestedScope],
    scopesReported: granted !== undefined,
    tokens: tokensOf(toTokenSet(params), refreshToken),
    signedInAt: Math.floor(Date.now() / 1000),
  };
}

/** The same user with the token set `strategy.refresh()` returned (keeping the refresh token if it did not rotate). */
export function withRefreshedTokens(user: SessionUser, set: TokenSet): SessionUser {
  const granted = parseGrantedScope(set.scope);
  return {
    ...user,
    ...(granted ? { scopes: granted, scopesReported: true } : {}),
    tokens: tokensOf(set, user.tokens.refreshToken),
    refreshedAt: Math.floor(Date.now() / 1000),
  };
}

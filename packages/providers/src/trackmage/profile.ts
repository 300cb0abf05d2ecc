import { objectBody, parseJsonBody, stringField, type ProviderProfile } from '@maniapass/http';

/**
 * `GET /users/{id}` with `Accept: application/json` (`User-Get` in TrackMage's OpenAPI). With another `Accept`
 * the API answers JSON-LD, the same fields plus `@context`, `@id` and `@type`; both parse.
 */
export interface TrackmageUserJson {
  /** The user's id: a UUID that never changes. Key your users on it. */
  id?: string;
  /** Required by the schema; can change. */
  email?: string;
  /** Required by the schema, but may be `null`. */
  firstName?: string | null;
  /** Required by the schema, but may be `null`. */
  lastName?: string | null;
  /** Whether the user confirmed `email`. */
  emailVerified?: boolean;
  /** In the `User-Get` schema; what it means is not documented. */
  passwordSet?: boolean;
  /** In the `User-Get` schema; what it means is not documented. */
  trialRedeemed?: boolean;
  /** An IANA zone such as `Europe/Kyiv`, or `null`. */
  timezone?: string | null;
  /** The avatar. Whether `filePath` is an absolute URL is not documented. */
  photo?: {
    /** The media object's id. */
    id?: string;
    /** Where the image is: a path on the API host, or a URL. */
    filePath?: string;
  } | null;
  /** IRIs of the user's teams, such as `/teams/<uuid>`. */
  teams?: string[];
  /** The JSON-LD context (with `Accept: application/ld+json`), such as `/contexts/User`. */
  '@context'?: unknown;
  /** The user's IRI (JSON-LD), such as `/users/<uuid>`. */
  '@id'?: string;
  /** The JSON-LD type: `User`. */
  '@type'?: string;
}

/** The profile a TrackMage sign-in gives the verify function. */
export interface TrackmageProfile extends ProviderProfile<TrackmageUserJson> {
  /** Always `trackmage`. */
  provider: 'trackmage';
  /** The user id (a UUID). */
  id: string;
  /** First and last name, else the e-mail address, else `''`. */
  displayName: string;
  /** `firstName` and `lastName`, those that are set. */
  name?: {
    /** `firstName`. */
    givenName?: string;
    /** `lastName`. */
    familyName?: string;
  };
  /** The e-mail address, with `verified` from `emailVerified` when the profile has it. */
  emails: Array<{
    /** The address. */
    value: string;
    /** `emailVerified`, when the profile has it. */
    verified?: boolean;
  }>;
  /** The avatar as an absolute http(s) URL, when the user has one. */
  photos: Array<{
    /** The image's absolute URL. */
    value: string;
  }>;
}

/** What `parseProfile` needs besides the body. */
export interface TrackmageParseProfileOptions {
  /** `user_id` and `user_email` of the token response: the profile must be this user's, and fills gaps from them. */
  tokenResponse?: {
    /** The signed-in user's id. */
    user_id?: unknown;
    /** The signed-in user's e-mail address. */
    user_email?: unknown;
  };
  /** What a relative `photo.filePath` is resolved against. Default `https://api.trackmage.com`. */
  photoBaseURL?: string;
}

const DEFAULT_PHOTO_BASE = 'https://api.trackmage.com';

function photoURL(filePath: string | undefined, base: string): string | undefined {
  if (!filePath) return undefined;
  try {
    const url = new URL(filePath, base);
    // Only web URLs: an app may put this straight into an <img src>.
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses the body of `GET /users/{id}`. Throws when it is not a JSON object, has no user id, or is another
 * user's than the token response's `user_id`.
 */
export function parseTrackmageProfile(raw: string, options: TrackmageParseProfileOptions = {}): TrackmageProfile {
  const json = parseJsonBody(raw, 'TrackMage profile');
  const body = objectBody(json);
  if (!body) throw new Error('TrackMage profile is not a JSON object');
  const tokenUserId = stringField(options.tokenResponse?.user_id);
  const id = stringField(body.id) ?? tokenUserId;
  if (!id) throw new Error('TrackMage profile has no id');
  if (tokenUserId && id !== tokenUserId) throw new Error('TrackMage profile is not the signed-in user (id differs from user_id)');

  const givenName = stringField(body.firstName)?.trim();
  const familyName = stringField(body.lastName)?.trim();
  const profileEmail = stringField(body.email);
  const email = profileEmail ?? stringField(options.tokenResponse?.user_email);
  const displayName = [givenName, familyName].filter(Boolean).join(' ') || email || '';

  const profile: TrackmageProfile = { provider: 'trackmage', id, displayName, emails: [], photos: [], _raw: raw, _json: body as TrackmageUserJson };
  if (givenName || familyName) {
    profile.name = {};
    if (givenName) profile.name.givenName = givenName;
    if (familyName) profile.name.familyName = familyName;
  }
  if (email) {
    // `emailVerified` speaks of the profile's address only, not of a token response's fallback.
    profile.emails.push(profileEmail && typeof body.emailVerified === 'boolean' ? { value: email, verified: body.emailVerified } : { value: email });
  }
  const photo = photoURL(stringField(objectBody(body.photo)?.filePath), options.photoBaseURL ?? DEFAULT_PHOTO_BASE);
  if (photo) profile.photos.push({ value: photo });
  return profile;
}

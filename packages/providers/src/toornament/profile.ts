import { objectBody, parseJsonBody, stringField, type ProviderProfile } from '@maniapass/http';

/** `GET https://api.toornament.com/account/v2/me/info` (scope `user:info`). No e-mail is exposed. */
export interface ToornamentUserJson {
  /**
   * The unique user id: an 18-digit decimal string such as `"145246939508809147"`, beyond
   * `Number.MAX_SAFE_INTEGER`. Always a string here, even when the body carried it as a bare number.
   */
  id: string;
  /** The user's nickname (40 characters at most); it can change. */
  name?: string;
  /** ISO 3166-1 alpha-2 country code (`"US"`), or null. */
  country?: string | null;
}

/** The profile a Toornament sign-in gives the verify function. */
export interface ToornamentProfile extends ProviderProfile<ToornamentUserJson> {
  /** Always `toornament`. */
  provider: 'toornament';
  /** The user id, exactly as sent (never through a JavaScript number). */
  id: string;
  /** The nickname (`name`). */
  displayName: string;
  /** Same as `displayName`. */
  username: string;
  /** ISO 3166-1 alpha-2 country code, or null when the user has none. */
  country: string | null;
}

/**
 * The digits of the top-level `"id": <integer>` member, read from the text itself: `JSON.parse` would round an
 * 18-digit number. Only called on text that `JSON.parse` accepted, so a token regex is enough. Like
 * `JSON.parse`, the last duplicate key wins. Linear in the body: no two alternatives of the token regex can match
 * the same character (inside a string, a character is either an escape or not), so nothing is tried twice.
 */
function rawTopLevelId(raw: string): string | undefined {
  const tokens = raw.match(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}[\]:,]|[a-z]+/g) ?? [];
  let depth = 0;
  let id: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '{' || token === '[') depth++;
    else if (token === '}' || token === ']') depth--;
    else if (depth === 1 && token === '"id"' && tokens[i + 1] === ':') id = /^\d+$/.test(tokens[i + 2] ?? '') ? tokens[i + 2] : undefined;
  }
  return id;
}

/** Parses the body of `GET /account/v2/me/info`. Throws when it has no usable id. */
export function parseToornamentProfile(raw: string): ToornamentProfile {
  const json = parseJsonBody(raw, 'Toornament profile');
  const body = objectBody(json);
  const id = typeof body?.id === 'number' ? rawTopLevelId(raw) : stringField(body?.id);
  if (!body || !id) throw new Error('Toornament profile has no id');
  const name = stringField(body.name) ?? '';
  const country = stringField(body.country) ?? null;
  return {
    provider: 'toornament',
    id,
    displayName: name,
    username: name,
    country,
    _raw: raw,
    _json: { ...body, id } as ToornamentUserJson,
  };
}

import { objectBody, parseJsonBody, stringField, type ProviderProfile } from '@maniapass/http';

/** `GET /webservices/me` (scope `basic`): the three fields ManiaPlanet documents. */
export interface ManiaplanetUserJson {
  /** The account login: unique and stable. Key your users on it (ManiaPlanet treats logins case-insensitively). */
  login?: string;
  /** The nickname, with ManiaPlanet formatting codes such as `$f00` (colour) or `$o` (bold). It can change. */
  nickname?: string;
  /** The zone path, from the world down: `World|Europe|France|Île-de-France`. */
  path?: string;
}

export interface ManiaplanetProfile extends ProviderProfile<ManiaplanetUserJson> {
  provider: 'maniaplanet';
  /** The login. */
  id: string;
  /** The login. */
  username: string;
  /** The nickname as sent, formatting codes included (the login when there is no nickname). */
  displayName: string;
  /** The nickname without formatting codes: `$f00Some$fffPlayer` → `SomePlayer`. */
  displayNamePlain: string;
  /** The zone path as sent (`World|Europe|France`), when there is one. */
  zonePath?: string;
  /** The zone path split into its parts: `['World', 'Europe', 'France']` (empty without a path). */
  zones: string[];
  /** The e-mail address, only when the login asked for the `email` scope. */
  emails?: Array<{ value: string }>;
}

// Style letters that make a whole code on their own: `$o` bold, `$i` italic, `$z` reset...
const STYLE_LETTERS = new Set('oiwntsgzmOIWNTSGZM<>');
// Link openers and closers: `$l` (URL), `$h` (manialink), `$p` (legacy), each with an optional `[target]`.
const LINK_LETTERS = new Set('lhpLHP');

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/**
 * Removes ManiaPlanet formatting codes from a nickname or any other formatted text: colours (`$f00`, 1 to 3 hex
 * digits), styles (`$o $i $w $n $t $s $g $z $m $< $>`), links (`$l[url]text$l`, `$h[manialink]text$h`: the text is
 * kept, the target dropped; a `[` without a closing `]` is kept as text); `$$` becomes a literal `$`, a lone `$` at
 * the very end is dropped, and a `$` before any other character is kept. Case is ignored.
 *
 * One pass over the text, whatever it holds: a nickname is provider input and may be anything up to the body limit.
 */
export function stripFormatting(text: string): string {
  const parts: string[] = [];
  let copied = 0; // text before this index is already in `parts` (or dropped)
  let close = -1; // index of the next `]` at or after the cursor, once looked up; `length` when there is none
  for (let at = text.indexOf('$'); at !== -1; at = text.indexOf('$', at)) {
    const next = text[at + 1];
    let end: number; // the code is text[at, end)
    let keep = ''; // what the code is replaced with
    if (next === undefined) end = at + 1;
    else if (next === '$') {
      end = at + 2;
      keep = '$';
    } else if (isHexDigit(next.charCodeAt(0))) {
      end = at + 2;
      while (end < at + 4 && end < text.length && isHexDigit(text.charCodeAt(end))) end++;
    } else if (STYLE_LETTERS.has(next)) end = at + 2;
    else if (LINK_LETTERS.has(next)) {
      end = at + 2;
      if (text[end] === '[') {
        // Each `]` is looked up once and reused until the cursor passes it: the whole text is scanned at most once.
        if (close < end + 1) {
          const found = text.indexOf(']', end + 1);
          close = found === -1 ? text.length : found;
        }
        if (close < text.length) end = close + 1;
      }
    } else {
      at += 1; // a `$` that starts no code stays as it is
      continue;
    }
    parts.push(text.slice(copied, at), keep);
    copied = end;
    at = end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

// RFC 5321 caps a path at 256 octets, angle brackets included: no address is longer than this.
const MAX_EMAIL_LENGTH = 254;
// Loose on purpose: the provider owns the address; this only refuses bodies that are not one (HTML, XML, JSON).
// The character classes on both sides of the one `@` exclude it, so the match is linear.
const EMAIL = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+$/;

/** `local@domain` where the domain has a dot that is neither its first nor its last character. */
function isAddress(value: string): boolean {
  if (value.length > MAX_EMAIL_LENGTH || !EMAIL.test(value)) return false;
  const domain = value.slice(value.indexOf('@') + 1);
  const dot = domain.indexOf('.', 1);
  return dot !== -1 && dot < domain.length - 1;
}

/**
 * Reads the body of `GET /webservices/me/email`: the address as a bare string (`me@example.com`) or as a JSON
 * string (`"me@example.com"`); both are seen. An empty body or JSON `null` means no address. Throws on anything
 * that is not an address, and on an address longer than 254 characters (RFC 5321's limit).
 */
export function parseManiaplanetEmail(raw: string): string | undefined {
  const text = raw.trim();
  if (text === '' || text === 'null') return undefined;
  let value: unknown = text;
  if (text.startsWith('"')) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error('ManiaPlanet e-mail is a broken JSON string');
    }
  }
  if (typeof value !== 'string' || !isAddress(value.trim())) throw new Error('ManiaPlanet e-mail body is not an address');
  return value.trim();
}

/**
 * Parses the body of `GET /webservices/me` and, when given, the body of `GET /webservices/me/email`.
 * Throws when the profile has no login.
 */
export function parseManiaplanetProfile(raw: string, emailBody?: string): ManiaplanetProfile {
  const json = parseJsonBody(raw, 'ManiaPlanet profile');
  const body = objectBody(json);
  const login = stringField(body?.login);
  if (!body || !login) throw new Error('ManiaPlanet profile has no login');
  const displayName = stringField(body.nickname) ?? login;
  const zonePath = stringField(body.path);
  const profile: ManiaplanetProfile = {
    provider: 'maniaplanet',
    id: login,
    username: login,
    displayName,
    displayNamePlain: stripFormatting(displayName),
    zones: zonePath ? zonePath.split('|').filter(Boolean) : [],
    _raw: raw,
    _json: body as ManiaplanetUserJson,
  };
  if (zonePath) profile.zonePath = zonePath;
  const email = emailBody === undefined ? undefined : parseManiaplanetEmail(emailBody);
  if (email) profile.emails = [{ value: email }];
  return profile;
}

import { objectBody, parseJsonBody, stringField, type ProviderProfile } from '@maniapass/http';
import { formattingToPlain } from '../formatting';

/** `GET /webservices/me` (scope `basic`): the three fields ManiaPlanet documents. */
export interface ManiaplanetUserJson {
  /** The account login: unique and stable. Key your users on it (ManiaPlanet treats logins case-insensitively). */
  login?: string;
  /** The nickname, with ManiaPlanet formatting codes such as `$f00` (colour) or `$o` (bold). It can change. */
  nickname?: string;
  /** The zone path, from the world down: `World|Europe|France|Île-de-France`. */
  path?: string;
}

/** The profile a ManiaPlanet sign-in gives the verify function. */
export interface ManiaplanetProfile extends ProviderProfile<ManiaplanetUserJson> {
  /** Always `maniaplanet`. */
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
  emails?: Array<{
    /** The address. */
    value: string;
  }>;
}

/**
 * Removes ManiaPlanet formatting codes from a nickname or any other formatted text: colours (`$f00`, 1 to 3 hex
 * digits), styles (`$o $i $w $n $t $s $g $z $m $< $>`), links (`$l[url]text$l`, `$h[manialink]text$h`: the text is
 * kept, the target dropped; a `[` without a closing `]` is kept as text); `$$` becomes a literal `$`, a lone `$` at
 * the very end is dropped, and a `$` before any other character is kept. Case is ignored. The HTTP layer's one
 * linear parser (`formattingToPlain`), which also renders the codes as safe HTML.
 */
export function stripFormatting(text: string): string {
  return formattingToPlain(text);
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

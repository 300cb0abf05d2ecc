import { objectBody, parseJsonBody, stringField, type ProviderProfile } from '@maniapass/http';

/** The validate endpoint's answer, as Openplanet documents it: the player, or `error` for a refused token. */
export interface OpenplanetValidationJson {
  /** The player's Trackmania account id: a UUID that never changes. Key your users on it. */
  account_id?: string;
  /** The player's current display name: it can change. */
  display_name?: string;
  /** When the token was issued, in epoch seconds (Openplanet's clock). */
  token_time?: number;
  /** Set when Openplanet refuses the token (or the secret). */
  error?: string;
  [field: string]: unknown;
}

/** What the validate endpoint said of a player, as passport profiles say it. */
export interface OpenplanetProfile extends ProviderProfile<OpenplanetValidationJson> {
  /** Always `openplanet`. */
  provider: 'openplanet';
  /** The account id: the same as Trackmania OAuth's `profile.id` and Nadeo's account ids. */
  id: string;
  /** The display name (at most `MAX_DISPLAY_NAME` characters, a longer one is cut; no control characters). */
  displayName: string;
  /** When the plugin token was issued (epoch seconds); `undefined` if Openplanet did not say. */
  tokenTime: number | undefined;
}

/** What a validate answer says: the player, or Openplanet's reason for refusing the token. */
export type OpenplanetValidation =
  | {
      /** The token is valid. */
      valid: true;
      /** The player it belongs to. */
      profile: OpenplanetProfile;
    }
  | {
      /** Openplanet refused the token. */
      valid: false;
      /** Openplanet's reason, cut to `MAX_REFUSAL_TEXT` characters. */
      message: string;
      /** The whole answer. */
      json: OpenplanetValidationJson;
    };

const EPOCH_SECONDS = /^\d{1,12}$/;
/** Longest account id accepted (they are UUIDs, 36 characters): a longer one is not an answer of Openplanet's. */
export const MAX_ACCOUNT_ID = 64;
// Never part of a name; stripped, so that a kept entry stays within its bound (a JSON escape is six characters).
const CONTROL = /[\u0000-\u001f\u007f]/g;
/** Display names are cut to this many characters (code points), control characters removed. */
export const MAX_DISPLAY_NAME = 128;
/** Openplanet's refusal text is cut to this many characters before anything else is done with it. */
export const MAX_REFUSAL_TEXT = 200;

/** The first `max` characters (code points, so that no surrogate pair is split). */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  let count = 0;
  for (const ch of text.slice(0, max * 2)) {
    if (count++ === max) break;
    out += ch;
  }
  return out;
}

/**
 * Reads the validate endpoint's body. A token is refused when `error` is set or `account_id` is empty, as in
 * Openplanet's own example server; the refusal text is cut to `MAX_REFUSAL_TEXT` characters (and must still be
 * masked before it is shown anywhere). Throws when the body is not a JSON object, or its account id is longer than
 * `MAX_ACCOUNT_ID`.
 */
export function parseValidation(raw: string): OpenplanetValidation {
  const parsed = parseJsonBody(raw, 'Openplanet validation answer');
  const body = objectBody(parsed);
  if (!body) throw new Error('Openplanet validation answer is not a JSON object');
  const json = body as OpenplanetValidationJson;
  const error = body.error;
  if (error !== undefined && error !== null && error !== '' && error !== false) {
    return { valid: false, message: cut(stringField(error) ?? 'Openplanet refused the token', MAX_REFUSAL_TEXT).trim(), json };
  }
  const id = stringField(body.account_id);
  if (!id) return { valid: false, message: 'Openplanet answered without an account id', json };
  if (id.length > MAX_ACCOUNT_ID) throw new Error(`Openplanet validation answer has an account_id longer than ${MAX_ACCOUNT_ID} characters`);
  const time = body.token_time;
  let tokenTime: number | undefined;
  if (typeof time === 'number' && Number.isSafeInteger(time) && time >= 0) tokenTime = time;
  else if (typeof time === 'string' && EPOCH_SECONDS.test(time)) tokenTime = Number(time);
  return {
    valid: true,
    profile: {
      provider: 'openplanet',
      id,
      displayName: cut((stringField(body.display_name) ?? '').replace(CONTROL, ''), MAX_DISPLAY_NAME),
      tokenTime,
      _raw: raw,
      _json: json,
    },
  };
}

/**
 * A profile from the fields a cache keeps (account id, display name, token time): `_json` holds those three
 * fields and `_raw` their JSON, not Openplanet's whole body.
 */
export function profileFromFields(id: string, displayName: string, tokenTime: number): OpenplanetProfile {
  const json = { account_id: id, display_name: displayName, token_time: tokenTime };
  return { provider: 'openplanet', id, displayName, tokenTime, _raw: JSON.stringify(json), _json: json };
}

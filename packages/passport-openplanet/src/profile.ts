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

/** The player a valid plugin token stands for, as the verify function gets it. */
export interface OpenplanetProfile extends ProviderProfile<OpenplanetValidationJson> {
  /** Always `openplanet`. */
  provider: 'openplanet';
  /** The account id. */
  id: string;
  /** The player's current display name: it can change. */
  displayName: string;
  /** When the plugin token was issued (epoch seconds); `undefined` if Openplanet did not say. */
  tokenTime: number | undefined;
}

/** What a validate answer says: the player, or Openplanet's reason for refusing the token. */
export type OpenplanetValidation = { valid: true; profile: OpenplanetProfile } | { valid: false; message: string; json: OpenplanetValidationJson };

const EPOCH_SECONDS = /^\d{1,12}$/;

/**
 * Reads the validate endpoint's body. A token is refused when `error` is set or `account_id` is empty, as in
 * Openplanet's own example server. Throws when the body is not a JSON object at all.
 */
export function parseValidation(raw: string): OpenplanetValidation {
  const parsed = parseJsonBody(raw, 'Openplanet validation answer');
  const body = objectBody(parsed);
  if (!body) throw new Error('Openplanet validation answer is not a JSON object');
  const json = body as OpenplanetValidationJson;
  const error = body.error;
  if (error !== undefined && error !== null && error !== '' && error !== false) {
    return { valid: false, message: stringField(error)?.trim() ?? 'Openplanet refused the token', json };
  }
  const id = stringField(body.account_id);
  if (!id) return { valid: false, message: 'Openplanet answered without an account id', json };
  const time = body.token_time;
  let tokenTime: number | undefined;
  if (typeof time === 'number' && Number.isSafeInteger(time) && time >= 0) tokenTime = time;
  else if (typeof time === 'string' && EPOCH_SECONDS.test(time)) tokenTime = Number(time);
  return {
    valid: true,
    profile: { provider: 'openplanet', id, displayName: stringField(body.display_name) ?? '', tokenTime, _raw: raw, _json: json },
  };
}

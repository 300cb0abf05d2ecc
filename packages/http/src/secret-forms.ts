// The forms a secret takes in what a provider may echo (a form body, a Basic header, JSON), and the limits of
// masking: what every request needs at hand. The masking itself (mask.ts) loads with the first text it masks.
import { formValue } from './form';

/** No run of this many characters of a secret, in any of its forms, survives masking. */
export const RUN = 8;
/** A text is cut to this many characters before it is masked: masking costs the same on any longer text. */
export const MAX_MASKED_LENGTH = 4096;

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/** `\uXXXX` for every character outside printable ASCII, `\/` for `/`: PHP's `json_encode` defaults. */
function phpJson(text: string): string {
  let out = '';
  for (const ch of JSON.stringify(text).slice(1, -1)) {
    const code = ch.charCodeAt(0);
    if (ch === '/') out += '\\/';
    else if (code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/**
 * The common forms of a secret in a body: raw, URL- and form-encoded (either hex case), JSON-escaped as JavaScript
 * and PHP write it. `redactWhole` replaces these in a whole body; `redact` finds every other decoding too.
 */
export function secretForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const form = formValue(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [secret, uri, lowerHex(uri), form, lowerHex(form), json, json.replace(/\//g, '\\/'), phpJson(secret), phpJson(secret).toUpperCase()];
  return forms;
}

/**
 * The base64 forms of HTTP Basic credentials for `id` and `secret` (RFC 6749 §2.3.1 form-encodes both first;
 * many clients do not). `redact` finds the secret inside any base64 by itself; given as secrets too, these let
 * `redactWhole` replace an echoed header whole in a body.
 */
export function basicCredentialForms(id: string, secret: string): string[] {
  const pairs = [`${id}:${secret}`, `${formValue(id)}:${formValue(secret)}`];
  return pairs.flatMap((pair) => [Buffer.from(pair).toString('base64'), Buffer.from(pair).toString('base64url')]);
}

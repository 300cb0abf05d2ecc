// The forms a secret takes in what a provider may echo (a form body, a Basic header, JSON), and the limits of
// masking: what every request needs at hand. The masking itself (mask.ts) loads with the first text it masks.
import { formValue } from './form';

/** No run of this many characters of a secret, in any of its forms, survives masking. */
export const RUN = 8;
/** A text is cut to this many characters before it is masked: masking costs the same on any longer text. */
export const MAX_MASKED_LENGTH = 4096;

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `encodeURIComponent`, a lone surrogate written as U+FFFD (as URL encoders write it) instead of throwing. */
function uriComponent(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'));
  }
}

/**
 * JSON with every UTF-16 unit outside printable ASCII as `\uXXXX` (a character past U+FFFF as its surrogate pair),
 * in the hex case given: what PHP's `json_encode` (which also writes `/` as `\/`) and Python's `json.dumps` write.
 */
function asciiJson(text: string, hex: (code: number) => string): string {
  const json = JSON.stringify(text).slice(1, -1);
  let out = '';
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    out += code > 0x7e ? `\\u${hex(code)}` : json[i];
  }
  return out;
}

const lowerUnit = (code: number) => code.toString(16).padStart(4, '0');
const upperUnit = (code: number) => lowerUnit(code).toUpperCase();
const slashEscaped = (json: string) => json.replace(/\//g, '\\/');

/**
 * The common forms of a secret in a body: raw, URL- and form-encoded (either hex case), JSON-escaped as JavaScript,
 * PHP and Python write it (either hex case, `/` as it is or escaped): what a leak check looks for. `redactWhole`
 * masks these and every other writing of one layer of escapes; `redact` finds deeper decodings too.
 */
export function secretForms(secret: string): string[] {
  const uri = uriComponent(secret);
  const form = formValue(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const ascii = [asciiJson(secret, lowerUnit), asciiJson(secret, upperUnit)];
  const forms = [secret, uri, lowerHex(uri), form, lowerHex(form), json, slashEscaped(json), ...ascii, ...ascii.map(slashEscaped)];
  return [...new Set(forms)];
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

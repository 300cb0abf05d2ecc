// application/x-www-form-urlencoded, byte for byte as URLSearchParams writes it, without building one: the token
// request's body on every sign-in, and the form-encoded views of a secret that masking looks for.

/** A form body: a field given as an array is sent once per value, as node-oauth's `querystring` does. */
export type FormFields = Record<string, string | readonly string[]>;

// Bytes a form value keeps as they are.
const FORM_SAFE = /^[\w*.-]*$/;

/** One name or value as URLSearchParams writes it. */
export function formValue(value: string): string {
  if (FORM_SAFE.test(value)) return value;
  try {
    // encodeURIComponent keeps !'()~ that the form encoding escapes, and writes a space as %20 instead of +.
    return encodeURIComponent(value).replace(/%20|[!'()~]/g, (c) => (c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  } catch {
    // A lone surrogate: URLSearchParams writes it as U+FFFD where encodeURIComponent throws.
    return new URLSearchParams([['', value]]).toString().slice(1);
  }
}

/** `URLSearchParams` of the form (an array field once per value) `.toString()`. */
export function formEncode(form: FormFields): string {
  let out = '';
  for (const key of Object.keys(form)) {
    const value = form[key]!;
    const name = formValue(key);
    for (const item of typeof value === 'string' ? [value] : value) out += `${out ? '&' : ''}${name}=${formValue(String(item))}`;
  }
  return out;
}

/**
 * A secret as a server may echo it back: raw, URL- or form-encoded (upper- or lower-case hex), and JSON-escaped
 * (as JSON.stringify writes it, and as PHP's json_encode does: `\/` and `\uXXXX` for non-ASCII), longest first so
 * that `redact` masks a whole form before a shorter one inside it. For `redact` from @maniapass/http, which
 * masks exact strings.
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const add = (form: string): void => {
    forms.add(form);
    forms.add(form.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  };
  try {
    add(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be percent-encoded: no client sends that form.
  }
  add(new URLSearchParams({ s: secret }).toString().slice(2));
  const json = JSON.stringify(secret).slice(1, -1);
  const unicode = (text: string, upper: boolean): string =>
    text.replace(/[\u007f-\uffff]/g, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  for (const form of [json, unicode(json, false), unicode(json, true)]) {
    forms.add(form);
    forms.add(form.replace(/\//g, '\\/'));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

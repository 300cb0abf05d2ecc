// Secret masking. A provider may echo what it was sent (the form body, a Basic header, a token) in any encoding:
// raw, URL- or form-encoded, JSON-escaped (with `\/` or `\u` escapes, as PHP writes it), base64 inside an echoed
// Basic header. Masking matches every such form, masks any run of RUN characters of one (a text cut in the middle
// of a secret must not keep most of it), and withholds a text whose decoded view still shows a secret.
import { formValue } from './form';

/** Secrets shorter than this are not worth masking (they would mask ordinary words). */
const MIN_SECRET = 4;
/** No run of this many characters of a secret, in any of its forms, survives masking. */
export const RUN = 8;
const MASK = '[redacted]';
const WITHHELD = '[redacted: the text contained a secret]';

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

/** Every form in which a secret may come back in a body. */
export function secretForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const form = formValue(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [secret, uri, lowerHex(uri), form, lowerHex(form), json, json.replace(/\//g, '\\/'), phpJson(secret), phpJson(secret).toUpperCase()];
  return forms;
}

/**
 * The base64 forms of HTTP Basic credentials for `id` and `secret` (RFC 6749 §2.3.1 form-encodes both first;
 * many clients do not): give them as secrets wherever the credentials may be echoed.
 */
export function basicCredentialForms(id: string, secret: string): string[] {
  const pairs = [`${id}:${secret}`, `${formValue(id)}:${formValue(secret)}`];
  return pairs.flatMap((pair) => [Buffer.from(pair).toString('base64'), Buffer.from(pair).toString('base64url')]);
}

/** The distinct forms of the given secrets worth masking, longest first (so a longer form is masked whole). */
function formsOf(secrets: ReadonlyArray<string | undefined>): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET) continue;
    for (const form of secretForms(secret)) all.add(form);
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/** Replaces every whole occurrence of each form. Linear in the text per form: safe on a whole body. */
function maskWhole(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

function runsOf(forms: readonly string[]): Set<string> {
  const runs = new Set<string>();
  for (const form of forms) for (let i = 0; i + RUN <= form.length; i++) runs.add(form.slice(i, i + RUN));
  return runs;
}

/** Masks every stretch of the text made of runs of RUN characters of a form (a cut or partly echoed secret). */
function maskRuns(text: string, runs: Set<string>): string {
  if (runs.size === 0 || text.length < RUN) return text;
  let out = '';
  let last = 0;
  let coveredTo = -1;
  let start = -1;
  for (let i = 0; i + RUN <= text.length; i++) {
    if (!runs.has(text.slice(i, i + RUN))) continue;
    if (i > coveredTo) {
      if (start !== -1) {
        out += text.slice(last, start) + MASK;
        last = coveredTo;
      }
      start = i;
    }
    coveredTo = i + RUN;
  }
  if (start === -1) return text;
  return out + text.slice(last, start) + MASK + text.slice(coveredTo);
}

const jsonUnescape = (text: string) =>
  text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\([\\/"])/g, '$1');
const percentDecode = (text: string) =>
  text.replace(/(?:%[0-9a-fA-F]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
const formDecode = (text: string) => percentDecode(text.replace(/\+/g, ' '));
const DECODERS = [jsonUnescape, percentDecode, formDecode];

/** The text with its escapes undone every way they may have been applied, nested up to three deep. */
function decodedViews(text: string): string[] {
  const views = new Set<string>([text]);
  let frontier = [text];
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: string[] = [];
    for (const view of frontier) {
      for (const decode of DECODERS) {
        const decoded = decode(view);
        if (!views.has(decoded)) {
          views.add(decoded);
          next.push(decoded);
        }
      }
    }
    frontier = next;
  }
  views.delete(text);
  return [...views];
}

/**
 * Masks a text that came from outside (a provider's error body or message) of every secret given, in every form
 * a provider may echo it in. Whole occurrences become `[redacted]`; so do runs of 8 or more characters of one (a
 * secret the provider or a cut left partial); and if undoing the text's escapes would still reveal a secret, the
 * whole text is withheld. Secrets shorter than 4 characters are not masked.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const forms = formsOf(secrets);
  if (forms.length === 0) return text;
  const runs = runsOf(forms);
  const masked = maskRuns(maskWhole(text, forms), runs);
  for (const view of decodedViews(masked)) {
    if (maskRuns(maskWhole(view, forms), runs) !== view) return WITHHELD;
  }
  return masked;
}

/**
 * Masks only the whole forms of each secret: for a large body (up to the transport's size limit) before it is
 * parsed or cut. Whatever is kept of it afterwards goes through `redact`.
 */
export function redactWhole(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return maskWhole(text, formsOf(secrets));
}

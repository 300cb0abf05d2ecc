// Secret masking. A provider may echo what it was sent (the form body, a Basic header, a token) in any encoding,
// nested any way: percent- or form-encoded, JSON- or JavaScript-escaped, as HTML entities, base64 or hex. Masking
// looks at the text and at every decoding of it (mask-views.ts), and masks, where it stands in the text, every
// stretch that shows RUN consecutive characters of a secret: a secret cut or split into pieces of RUN or more is
// caught too. Pieces shorter than RUN cannot be told from ordinary text: that is why no provider text is meant
// for a visitor at all.
// redactWhole, for a whole body, replaces each secret's common forms, and matches a short one under one layer of
// escapes (escaped-secret.ts).
// This module, mask-views.ts and escaped-secret.ts load with the first text masked (masking.ts): only failures mask.
import { escapedSecretPattern } from './escaped-secret';
import { MAX_MASKED_LENGTH, RUN, secretForms } from './secret-forms';
import { ESCAPE_FAMILY_NAMES, base64Decodings, hexDecodings, rootView, unescaped, type View } from './mask-views';

/** Secrets shorter than this are not worth masking (they would mask ordinary words). */
const MIN_SECRET = 4;
/** Layers of decoding looked through (percent-encoding in percent-encoding in base64...). */
const MAX_DEPTH = 16;
/** The decodings of a text may hold this many times its length, all together (at least 256 characters' worth). */
const MAX_DECODED_FACTOR = 16;
const MASK = '[redacted]';
const WITHHELD = '[redacted: the text contained a secret]';

/** The windows no masked text may show: every run of RUN characters of each secret (a shorter secret whole), by length. */
interface Windows {
  byLength: Map<number, Set<string>>;
  /** The shortest window: decoded runs shorter than it cannot hold one. */
  shortest: number;
  /** Whether some window starts with a pair of characters (by the low bytes of their codes): most positions are ruled out at once. */
  starts: Uint8Array;
}

/** `+` stands for a space in a form body: a secret and a text are compared with both as a space. */
const canonical = (text: string) => (text.includes('+') ? text.replace(/\+/g, ' ') : text);
const pairAt = (text: string, i: number) => ((text.charCodeAt(i) & 0xff) << 8) | (text.charCodeAt(i + 1) & 0xff);

function windowsOf(secrets: ReadonlyArray<string | undefined>): Windows | undefined {
  const byLength = new Map<number, Set<string>>();
  const starts = new Uint8Array(65536);
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET) continue;
    const length = Math.min(RUN, secret.length);
    const text = canonical(secret);
    let set = byLength.get(length);
    if (!set) byLength.set(length, (set = new Set()));
    for (let i = 0; i + length <= text.length; i++) {
      set.add(text.slice(i, i + length));
      starts[pairAt(text, i)] = 1;
    }
  }
  if (byLength.size === 0) return undefined;
  return { byLength, shortest: Math.min(...byLength.keys()), starts };
}

/** Adds to `spans` the stretch of the original text behind every window of a secret that the view shows. */
function findWindows(view: View, windows: Windows, spans: Array<[number, number]>): void {
  const text = canonical(view.text);
  for (let i = 0; i + windows.shortest <= text.length; i++) {
    if (windows.starts[pairAt(text, i)] === 0) continue;
    for (const [length, set] of windows.byLength) {
      if (i + length <= text.length && set.has(text.slice(i, i + length))) spans.push([view.from[i]!, view.to[i + length - 1]!]);
    }
  }
}

/** Every decoding of a view: each family of its escapes undone, its base64 and hex runs decoded at every alignment. */
function decodingsOf(view: View, shortest: number): View[] {
  // A window of `shortest` characters is at least that many bytes.
  const views = [...hexDecodings(view, shortest * 2), ...base64Decodings(view, Math.ceil((shortest * 8) / 6))];
  for (const family of ESCAPE_FAMILY_NAMES) {
    const plain = unescaped(view, family);
    if (plain) views.push(plain);
  }
  return views.filter((v) => v.text.length >= shortest);
}

/**
 * The stretches of the text behind every window of a secret that the text or any of its decodings shows, or
 * undefined when the decodings go deeper or grow larger than the bounds (the text is then withheld).
 */
function secretSpans(text: string, windows: Windows): Array<[number, number]> | undefined {
  const spans: Array<[number, number]> = [];
  const seen = new Set<string>([text]);
  const budget = MAX_DECODED_FACTOR * Math.max(text.length, 256);
  let decoded = 0;
  let level: View[] = [rootView(text)];
  for (let depth = 0; level.length > 0; depth++) {
    const next: View[] = [];
    for (const view of level) {
      findWindows(view, windows, spans);
      for (const child of decodingsOf(view, windows.shortest)) {
        if (seen.has(child.text)) continue;
        decoded += child.text.length;
        if (depth === MAX_DEPTH || decoded > budget) return undefined;
        seen.add(child.text);
        next.push(child);
      }
    }
    level = next;
  }
  return spans;
}

/** The text with each span (merged where they touch) replaced by MASK. */
function masked(text: string, spans: Array<[number, number]>): string {
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  for (let i = 0; i < spans.length;) {
    const start = spans[i]![0];
    let end = spans[i]![1];
    for (i++; i < spans.length && spans[i]![0] <= end; i++) end = Math.max(end, spans[i]![1]);
    out += text.slice(last, Math.max(start, last)) + MASK;
    last = Math.max(last, end);
  }
  return out + text.slice(last);
}

/** A text cut to MAX_MASKED_LENGTH characters, before anything else is done with it. */
function bounded(text: string): string {
  return text.length > MAX_MASKED_LENGTH ? `${text.slice(0, MAX_MASKED_LENGTH)}…` : text;
}

/** `redact` of masking.ts, where it is documented. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const windows = windowsOf(secrets);
  let out = bounded(text);
  if (!windows) return out;
  // Masking once should leave nothing to find: the next look proves it. What still shows after two is withheld.
  for (let round = 0; round < 3; round++) {
    const spans = secretSpans(out, windows);
    if (spans === undefined) return WITHHELD;
    if (spans.length === 0) return out;
    out = masked(out, spans);
  }
  return WITHHELD;
}

/** The distinct forms of the given secrets worth masking, longest first (so a longer form is masked whole). */
function formsOf(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) for (const form of secretForms(secret)) all.add(form);
  return [...all].sort((a, b) => b.length - a.length);
}

/** Replaces every whole occurrence of each form. Linear in the text per form: safe on a whole body. */
function maskWhole(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

/**
 * `redactWhole` of masking.ts, where it is documented. The common forms of every secret first (a split each). Then
 * a secret of up to 2 x RUN characters is also matched in any writing of one layer of escapes: once a message is
 * parsed out of the body and trimmed or cut, `redact` masks every run of RUN characters of a longer secret, but a
 * shorter one only whole, so such a secret must not reach the parser in a writing no form covers. The matcher is
 * only built when the text holds an escape (`\`, `%`, `&`) or a form-encoded space (`+`).
 */
export function redactWhole(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const wanted = [...new Set(secrets)].filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET);
  let out = maskWhole(text, formsOf(wanted));
  if (!/[\\%&+]/.test(out)) return out;
  for (const secret of wanted.sort((a, b) => b.length - a.length)) {
    if ([...secret].length <= 2 * RUN) out = out.replace(escapedSecretPattern(secret), MASK);
  }
  return out;
}

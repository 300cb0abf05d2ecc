// Secret masking, loaded with the first text it masks. Only failures mask (an error's message, a provider's error
// body), so a request that succeeds, and the cold start of every package, never compiles mask.ts and its decoders.
// The build gives mask.ts a file of its own (scripts/bundle.mjs: a sibling loaded with `require` is not bundled in).
import type * as Mask from './mask';

let mask: typeof Mask | undefined;

function masking(): typeof Mask {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose (see above)
  return (mask ??= require('./mask') as typeof Mask);
}

/**
 * Masks a text that came from outside (a provider's error body or message) of every secret given. The text is
 * first cut to MAX_MASKED_LENGTH characters (so masking costs the same on a 1 MB text as on a 4 KB one); then
 * every stretch that shows 8 or more consecutive characters of a secret (a secret shorter than 8, whole) becomes
 * `[redacted]`, whether it shows them as they are or through any nesting of escapes and encodings: percent-
 * and form-encoding, JSON and JavaScript escapes (`\uXXXX`, `\u{X}`, `\xXX`, `\/`), HTML numeric entities
 * (decimal or hex, with or without `;`), base64 and base64url at every alignment, hexadecimal in either case.
 * A text whose decodings go deeper than 16 layers or grow past 16 times its length (at least 4096 characters) is
 * withheld whole (`[redacted: the text contained a secret]`). Secrets shorter than 4 characters are not masked.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return masking().redact(text, secrets);
}

/**
 * Masks each whole secret in a large body (up to the transport's size limit) before it is parsed or cut: its common
 * forms (raw, percent- and form-encoded, JSON-escaped as JavaScript, PHP and Python write it, in either hex case),
 * and, for a secret of up to 16 characters, any writing of one layer of percent-encoding, JSON or JavaScript
 * escapes or HTML entities. Whatever is kept of the body afterwards goes through `redact`, which masks every run of
 * 8 characters of a secret under any nesting of encodings.
 */
export function redactWhole(text: string, secrets: ReadonlyArray<string | undefined>): string {
  return masking().redactWhole(text, secrets);
}

// What "no secret in any encoding" means for the adapters' tests: how a provider may echo what it was sent, and a
// check that no run of 8 characters of a secret appears in what an app shows or logs.
import { inspect } from 'node:util';

/**
 * How a provider may write back what it received (the emulators' `echo` fault takes one): as received, URL- or
 * form-encoded, JSON-escaped, every character escaped. (An echoed Basic header is base64 of `id:secret`: the
 * `leaks` check looks for the secret's base64 form too.)
 */
export const ECHO_ENCODINGS: Record<string, (text: string) => string> = {
  raw: (v) => v,
  uri: (v) => encodeURIComponent(v),
  json: (v) => JSON.stringify(v).slice(1, -1),
  // Each UTF-16 unit: a character past U+FFFF as its surrogate pair, as JSON encoders write it.
  everyCharEscaped: (v) => v.replace(/[^]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  form: (v) => new URLSearchParams([['x', v]]).toString().slice(2),
};

const RUN = 8;

const forms = (value: string) => [value, encodeURIComponent(value), Buffer.from(value).toString('base64')];

/**
 * The runs of 8 characters of any secret (or of its URL-encoded or base64 form) found in `text`. A run that is also
 * part of a value the app may show (`publicValues`: the client id, whose emulator value shares a prefix with the
 * secret) is not one.
 */
export function leaks(text: string, secrets: readonly string[], publicValues: readonly string[] = []): string[] {
  const shared = publicValues.flatMap(forms).join('\n');
  const found = new Set<string>();
  for (const secret of secrets.flatMap(forms)) {
    for (let i = 0; i + RUN <= secret.length; i++) {
      const run = secret.slice(i, i + RUN);
      if (text.includes(run) && !shared.includes(run)) found.add(run);
    }
  }
  return [...found];
}

/** Everything a user could see or log of an error. */
export function shown(err: unknown): string {
  if (!(err instanceof Error)) return typeof err === 'string' ? err : inspect(err, { depth: 6 });
  return [err.message, err.stack, JSON.stringify(err), inspect(err, { depth: 6 }), String(err)].join('\n');
}

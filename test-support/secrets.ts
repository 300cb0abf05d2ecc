// What "no secret in any encoding" means for the adapters' tests: how a provider may echo what it was sent, and a
// check that no run of 8 characters of a secret appears in what an app shows or logs.
import { inspect } from 'node:util';

/** How a provider may write back what it received (the emulators' `echo` fault takes one). */
export const ECHO_ENCODINGS: Record<string, (text: string) => string> = {
  raw: (v) => v,
  uri: (v) => encodeURIComponent(v),
  json: (v) => JSON.stringify(v).slice(1, -1),
  everyCharEscaped: (v) => [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  base64: (v) => Buffer.from(v).toString('base64'),
};

const RUN = 8;

/** The runs of 8 characters of any secret (or of its base64 form) found in `text`. */
export function leaks(text: string, secrets: readonly string[]): string[] {
  const found = new Set<string>();
  for (const secret of secrets.flatMap((s) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')])) {
    for (let i = 0; i + RUN <= secret.length; i++) if (text.includes(secret.slice(i, i + RUN))) found.add(secret.slice(i, i + RUN));
  }
  return [...found];
}

/** Everything a user could see or log of an error. */
export function shown(err: unknown): string {
  if (!(err instanceof Error)) return typeof err === 'string' ? err : inspect(err, { depth: 6 });
  return [err.message, err.stack, JSON.stringify(err), inspect(err, { depth: 6 }), String(err)].join('\n');
}

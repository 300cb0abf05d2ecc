/**
 * Reads the error code and human message out of any error body these providers send:
 * RFC 6749 (`error`, `error_description`, `error_uri`), league/oauth2-server (`error`, `message`, `hint`),
 * hydra (`hydra:title`, `hydra:description`), RFC 7807 (`title`, `detail`, `violations`), `{code, message}`,
 * and `{errors: [{message}]}`.
 */
export function describeErrorBody(body: string): {
  /** The error code (`error`, `code`...), where the body has one. */
  code?: string;
  /** The human message, where the body has one. */
  message?: string;
  /** A page about the error (`error_uri`), where the body has one. */
  uri?: string;
} {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  if (json === null || typeof json !== 'object') return {};
  const o = json as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

  const code = text(o.error) ?? (typeof o.code === 'string' ? text(o.code) : undefined);
  const parts: string[] = [];
  const main =
    text(o.error_description) ??
    text(o.message) ??
    text(o['hydra:description']) ??
    text(o.detail) ??
    text(o['hydra:title']) ??
    text(o.title) ??
    (Array.isArray(o.errors) ? text((o.errors[0] as Record<string, unknown> | undefined)?.message) : undefined);
  if (main) parts.push(main);
  const hint = text(o.hint);
  if (hint && hint !== main) parts.push(hint);
  // Rate limits answered as `{ retry_after: <seconds> }` (Toornament's API).
  const retryAfter = typeof o.retry_after === 'number' || typeof o.retry_after === 'string' ? String(o.retry_after).trim() : '';
  if (/^\d+(\.\d+)?$/.test(retryAfter)) parts.push(`rate limited: retry after ${retryAfter} seconds`);
  if (Array.isArray(o.violations)) {
    for (const v of o.violations.slice(0, 5)) {
      const vm = text((v as Record<string, unknown> | null)?.message);
      const path = text((v as Record<string, unknown> | null)?.propertyPath);
      if (vm) parts.push(path ? `${path}: ${vm}` : vm);
    }
  }
  const result: { code?: string; message?: string; uri?: string } = {};
  if (code) result.code = code;
  if (parts.length) result.message = parts.join(' — ').slice(0, 500);
  const uri = text(o.error_uri);
  if (uri) result.uri = uri;
  return result;
}

// Headers: the one normaliser every request's headers go through, whichever transport sends them.

/** What an HTTP header value may hold (RFC 9110 field-value: visible ASCII, obs-text, space and tab). */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

// Set by the request itself: a default or custom header of one of these names is replaced per request.
const SET_BY_REQUEST = ['authorization', 'content-type', 'content-length'];

/**
 * A set of headers as the transports send them: a flat list (`[name, value, ...]`, what node:http writes as it
 * is), one entry per name whatever its case (the last one given wins, as with node:http's `setHeader`),
 * `Accept-Encoding: identity` (a small compressed body can inflate past any limit, and a `fetch` inflates what it
 * is sent), and no `Content-Length` when there is a body (the transport writes the body's own).
 *
 * Made once for a client's default headers; `list()` adds a request's own on top.
 */
export class HeaderSet {
  private readonly values: Record<string, string> = {};
  private readonly names = new Map<string, string>();
  // The defaults as a flat list, for requests that add none of the names a request sets; undefined when one does.
  private readonly flat: readonly string[] | undefined;

  /** `check(name, value)` throws for a value a header cannot carry; without it, values are taken as given. */
  constructor(given: Iterable<readonly [string, unknown]>, check?: (name: string, value: unknown) => void) {
    for (const [name, value] of given) {
      check?.(name, value);
      put(this.values, this.names, name, String(value));
    }
    this.flat = SET_BY_REQUEST.some((name) => this.names.has(name)) ? undefined : Object.entries(this.values).flat();
  }

  /**
   * The headers of one request: these, then the request's `own` (each checked by `check`), then the body's
   * `Content-Type` and the `Authorization`, which replace a header of their name given in any case.
   */
  list(
    own: Record<string, string> | undefined,
    contentType: string | undefined,
    authorization: string | undefined,
    hasBody: boolean,
    check?: (name: string, value: string) => string,
  ): string[] {
    let headers: string[];
    if (!own && this.flat) {
      // Every sign-in's calls: the defaults as they are, and the request's after them.
      headers = this.flat.slice();
      if (contentType !== undefined) headers.push('Content-Type', contentType);
      if (authorization !== undefined) headers.push('Authorization', authorization);
    } else {
      // Object.assign, not a spread: V8 (Node 20) makes every property added to a spread copy cost microseconds.
      const values: Record<string, string> = Object.assign({}, this.values);
      const names = new Map(this.names);
      for (const name in own) if (name.toLowerCase() !== 'accept-encoding') put(values, names, name, check ? check(name, own[name]!) : own[name]!);
      if (contentType !== undefined) put(values, names, 'Content-Type', contentType);
      if (authorization !== undefined) put(values, names, 'Authorization', authorization);
      headers = [];
      for (const name in values) if (!hasBody || name.toLowerCase() !== 'content-length') headers.push(name, values[name]!);
    }
    headers.push('Accept-Encoding', 'identity');
    return headers;
  }
}

/** Sets a header, replacing the one of its name given before in any case; Accept-Encoding is the normaliser's own. */
function put(values: Record<string, string>, names: Map<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  if (lower === 'accept-encoding') return;
  const earlier = names.get(lower);
  if (earlier !== undefined && earlier !== name) delete values[earlier];
  values[name] = value;
  names.set(lower, name);
}

/** A flat list as a record, for a `fetch` implementation. */
export function headerRecord(list: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) headers[list[i]!] = list[i + 1]!;
  return headers;
}

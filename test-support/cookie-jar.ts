// A browser's cookies for one site, for tests that drive an app over HTTP with fetch.

/** What each answer sets, sent back on the next request; a cookie set with `Max-Age=0` is dropped. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** The `Cookie` header of the next request. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Keeps what an answer's `Set-Cookie` lines set. */
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(pair.slice(0, at).trim());
      else this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
}

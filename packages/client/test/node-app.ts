// A bare node:http app on the plain client, as its README shows it: /login redirects to the provider with the state
// in a cookie, /callback validates, exchanges the code, loads the profile and answers it as JSON.
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackError, type OAuthClient } from '@maniapass/client';

/** A client of any provider. */
export type AnyClient = OAuthClient<never, never, never>;

/** A bare node:http app: /login redirects with a state cookie, /callback signs in and answers the profile as JSON. */
export async function startApp(makeClient: (redirectURI: string) => AnyClient, errors: unknown[]): Promise<{ url: string; server: Server }> {
  let client!: AnyClient;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login') {
      const { url: location, state, scope } = client.createAuthorizationURL();
      res.writeHead(302, { Location: location.toString(), 'Set-Cookie': `oauth_state=${state}.${scope.join('+')}; HttpOnly; Path=/; SameSite=Lax` });
      return res.end();
    }
    if (url.pathname === '/callback') {
      const cookie = /(?:^|;\s*)oauth_state=([^;]*)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      const [state = '', scope = ''] = cookie.split('.');
      Promise.resolve()
        .then(() => client.validateCallback(url, state))
        .then(({ code }) => client.exchangeCode(code))
        .then((tokens) => client.loadProfile(tokens, { scope: scope ? scope.split('+') : [] }))
        .then(
          (profile) => send(200, { profile }),
          (err: Error & { code?: string }) => {
            errors.push(err);
            send(err instanceof CallbackError ? err.status : 502, { error: { name: err.name, code: err.code, message: err.message } });
          },
        );
      return;
    }
    send(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = makeClient(`${url}/callback`);
  return { url, server };
}

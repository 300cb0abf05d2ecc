// The app the NextAuth 4 release test runs in an empty project where @maniapass/authjs (packed) and next-auth 4 are
// installed: NextAuth 4's own request handler (`AuthHandler` of next-auth/core) behind node:http, given its request
// objects and answered as next-auth's Pages Router handler answers (next-auth/next), without Next.js. The four
// providers are @maniapass/authjs's NextAuth 4 ones (`TrackmaniaV4()`...).
// Input (environment): AUTH_PROVIDERS, a JSON object of each provider's options (its emulator's URLs and client).
// Prints `listening <base URL>` once it serves; `/logged` answers what NextAuth's logger received and the account of
// each sign-in (what an adapter would store), by provider.
const { createServer } = require('node:http');
const { randomBytes } = require('node:crypto');
const { join, dirname } = require('node:path');
const { inspect } = require('node:util');
const { serialize, parse } = require('cookie');
const { TrackmaniaV4, ManiaPlanetV4, TrackMageV4, ToornamentV4 } = require('@maniapass/authjs');

// next-auth 4 exports no `./core`: its file, as next-auth/next requires it.
const { AuthHandler } = require(join(dirname(require.resolve('next-auth')), 'core', 'index.js'));

const FACTORIES = { trackmania: TrackmaniaV4, maniaplanet: ManiaPlanetV4, trackmage: TrackMageV4, toornament: ToornamentV4 };
const options = JSON.parse(process.env.AUTH_PROVIDERS ?? '{}');
const logged = [];
const accounts = {};
const authOptions = {
  secret: randomBytes(32).toString('hex'),
  providers: Object.entries(options).map(([id, provider]) => FACTORIES[id](provider)),
  logger: {
    error: (code, metadata) => logged.push(`${code} ${inspect(metadata, { depth: 8 })}`),
    warn: (code) => logged.push(String(code)),
    debug: (code, metadata) => logged.push(`${code} ${inspect(metadata, { depth: 8 })}`),
  },
  events: {
    signIn: ({ account }) => {
      accounts[account.provider] = account;
    },
  },
  debug: true,
};

/** The request's form or JSON body, as Next.js parses it for an API route. */
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, process.env.NEXTAUTH_URL);
    if (url.pathname === '/logged') {
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify({ logged, accounts }));
    }
    const match = /^\/api\/auth\/(.*)$/.exec(url.pathname);
    if (!match) {
      res.statusCode = 404;
      return res.end('not found');
    }
    const nextauth = match[1].split('/').filter(Boolean);
    const query = Object.fromEntries(url.searchParams);
    const answer = await AuthHandler({
      req: {
        body: await readBody(req),
        query,
        cookies: parse(req.headers.cookie ?? ''),
        headers: req.headers,
        method: req.method,
        action: nextauth[0],
        providerId: nextauth[1],
        error: query.error ?? nextauth[1],
      },
      options: authOptions,
    });
    res.statusCode = answer.status ?? 200;
    res.setHeader(
      'Set-Cookie',
      (answer.cookies ?? []).map(({ name, value, options }) => serialize(name, value, options)),
    );
    for (const { key, value } of answer.headers ?? []) res.setHeader(key, value);
    if (answer.redirect) {
      res.statusCode = 302;
      res.setHeader('Location', answer.redirect);
      return res.end();
    }
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  } catch (err) {
    logged.push(`APP_ERROR ${inspect(err)}`);
    res.statusCode = 500;
    res.end('internal error');
  }
});
server.listen(0, '127.0.0.1', () => {
  const baseURL = `http://127.0.0.1:${server.address().port}`;
  process.env.NEXTAUTH_URL = `${baseURL}/api/auth`;
  process.stdout.write(`listening ${baseURL}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

// HTML pages as plain functions: every value from outside goes through `esc()`. No template engine, no script.
import { formattingToHtml } from 'nadeo-api';
import type { SessionUser } from './user';

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const STYLESHEET = `
:root{--fg:#1d2330;--muted:#5c6577;--line:#dfe3ea;--accent:#0b63ce;--warn:#8a5a00;--bad:#a12622;--bg:#f6f7f9}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0;line-height:1.5}
header{background:#fff;border-bottom:1px solid var(--line)}
header .bar{max-width:52rem;margin:0 auto;padding:.75rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header .brand{font-weight:700;color:var(--fg);text-decoration:none;margin-right:auto}
header nav a{color:var(--accent);text-decoration:none;margin-left:1rem}
main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
.card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;margin:.75rem 0}
.formatted{background:#1d2330;color:#fff;padding:.05rem .4rem;border-radius:.25rem}
table{border-collapse:collapse}td,th{padding:.15rem .75rem .15rem 0;text-align:left}
.providers{list-style:none;padding:0;margin:0;display:grid;gap:.75rem}
.providers li{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.9rem 1.1rem;display:flex;align-items:center;gap:1rem;flex-wrap:wrap}
.providers .name{font-weight:600;min-width:8rem}
.providers .note{color:var(--muted);font-size:.875rem;flex:1 1 16rem}
.button,button{display:inline-block;font:inherit;font-size:.95rem;padding:.45rem 1rem;border-radius:.375rem;border:1px solid var(--accent);background:var(--accent);color:#fff;text-decoration:none;cursor:pointer}
.button.secondary,button.secondary{background:#fff;color:var(--accent)}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .5rem;border-radius:1rem;background:#fff3d6;color:var(--warn);border:1px solid #f1d9a0;margin-left:.4rem;vertical-align:middle}
.badge.real{background:#e4f4e8;color:#1d6b34;border-color:#b9dfc3}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}
dt{color:var(--muted)}
dd{margin:0;word-break:break-word}
pre{background:#0f1420;color:#e6e9ef;padding:.9rem 1rem;border-radius:.375rem;overflow:auto;font-size:.85rem}
code{font-size:.9em}
.notice{background:#e4f4e8;border:1px solid #b9dfc3;color:#1d6b34;border-radius:.375rem;padding:.6rem .9rem}
.error{border-left:4px solid var(--bad)}
.error .message{font-size:1.05rem}
.muted{color:var(--muted)}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1rem}
form.inline{display:inline}
input[type=text]{font:inherit;padding:.4rem .6rem;border:1px solid var(--line);border-radius:.375rem;width:100%;max-width:36rem}
`;

export interface PageContext {
  user?: SessionUser;
  /** The session's CSRF token, for POST forms. */
  csrf: string;
}

function postButton(action: string, label: string, ctx: PageContext, attrs: { id: string; secondary?: boolean }): string {
  return `<form class="inline" method="post" action="${esc(action)}"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button type="submit" id="${esc(attrs.id)}"${attrs.secondary ? ' class="secondary"' : ''}>${esc(label)}</button></form>`;
}

function layout(title: string, content: string, ctx: PageContext): string {
  const nav = ctx.user
    ? `<nav><a href="/">Home</a><a href="/profile">Profile</a><a href="/demo">Token helpers</a></nav>${postButton('/logout', 'Sign out', ctx, { id: 'logout', secondary: true })}`
    : `<nav><a href="/">Home</a><a href="/demo">Token helpers</a></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · maniapass example</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header><div class="bar"><a class="brand" href="/">maniapass example</a>${nav}</div></header>
<main>
${content}
</main>
</body>
</html>`;
}

export interface ProviderView {
  name: string;
  label: string;
  emulated: boolean;
  /** Environment variables that switch the provider to its real endpoints. */
  envHint: string;
}

/** The plugin API paragraph of the home page; `emulatorURL` when Openplanet runs on its emulator. */
export interface OpenplanetView {
  emulatorURL?: string;
}

function openplanetSection(view: OpenplanetView): string {
  const tryIt = view.emulatorURL
    ? ` Openplanet runs on a local emulator here: <code>curl -X POST ${esc(view.emulatorURL)}/emulator/plugin-token</code> gives a token as a plugin would get one; set OPENPLANET_SECRET to use the real Openplanet.`
    : ' It uses the real Openplanet, with the plugin secret of OPENPLANET_SECRET.';
  return `<h2>Plugin API (Openplanet)</h2>
<p id="openplanet">An Openplanet plugin signs its player in without a browser: it sends the token from <code>Auth::GetToken()</code> to <code>POST /api/openplanet/session</code> as JSON <code>{"token": "…"}</code>; <code>passport-openplanet</code> asks Openplanet once who that is, and the plugin gets this app's own signed token for later calls such as <code>GET /api/openplanet/me</code> (<code>Authorization: Bearer …</code>).${tryIt}</p>`;
}

export function homePage(providers: readonly ProviderView[], ctx: PageContext, openplanet?: OpenplanetView): string {
  const signedIn = ctx.user
    ? `<p class="card">Signed in with <strong>${esc(providers.find((p) => p.name === ctx.user!.provider)?.label ?? ctx.user.provider)}</strong> as <strong id="signed-in-as">${esc(plainName(ctx.user.profile))}</strong>. <a href="/profile">See the profile</a>.</p>`
    : '<p class="muted">Not signed in. Pick a provider:</p>';
  const items = providers
    .map((p) => {
      const badge = p.emulated ? '<span class="badge">emulated</span>' : '<span class="badge real">real</span>';
      const note = p.emulated
        ? `Runs on a local emulator (consent page, no real account). Set ${esc(p.envHint)} to use the real ${esc(p.label)}.`
        : `Uses the real ${esc(p.label)} endpoints.`;
      return `<li id="provider-${esc(p.name)}"><span class="name">${esc(p.label)}${badge}</span><span class="note">${note}</span><a class="button" id="signin-${esc(p.name)}" href="/auth/${esc(p.name)}">Sign in with ${esc(p.label)}</a></li>`;
    })
    .join('\n');
  return layout(
    'Sign in',
    `<h1>Sign in with a Trackmania-world account</h1>
${signedIn}
<ul class="providers">
${items}
</ul>
<h2>Token helpers</h2>
<p>Application tokens without a user: a Trackmania display-name lookup with a client-credentials token, and a Nadeo web-services call. <a href="/demo">Open the demonstration</a>.</p>${openplanet ? `\n${openplanetSection(openplanet)}` : ''}`,
    ctx,
  );
}

function formatExpiry(expiresAt: number | undefined): string {
  if (expiresAt === undefined) return 'not reported by the provider';
  const seconds = expiresAt - Math.floor(Date.now() / 1000);
  const when = new Date(expiresAt * 1000).toISOString().replace('.000Z', 'Z');
  if (seconds <= 0) return `${when} (expired)`;
  const minutes = Math.round(seconds / 60);
  return `${when} (in ${minutes >= 2 ? `${minutes} minutes` : `${seconds} seconds`})`;
}

function formatTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

const STANDARD_FIELDS = new Set(['provider', 'id', 'displayName', 'username', 'name', 'emails', 'photos']);

/** The name to greet a user by: a plain-text copy where the provider's names carry formatting codes (ManiaPlanet). */
function plainName(profile: SessionUser['profile']): string {
  const plain = (profile as { displayNamePlain?: unknown }).displayNamePlain;
  return typeof plain === 'string' && plain ? plain : profile.displayName || profile.id;
}

export function profilePage(user: SessionUser, ctx: PageContext & { notice?: string }): string {
  const p = user.profile;
  const rows: Array<[string, string]> = [
    ['provider', esc(p.provider)],
    ['id', `<code>${esc(p.id)}</code>`],
    // ManiaPlanet nicknames carry `$` formatting codes: shown in their colours, every character escaped.
    ['displayName', p.displayName.includes('$') ? `<span class="formatted">${formattingToHtml(p.displayName)}</span>` : esc(p.displayName)],
  ];
  if (p.username !== undefined) rows.push(['username', esc(p.username)]);
  if (p.name) rows.push(['name', esc([p.name.givenName, p.name.middleName, p.name.familyName].filter(Boolean).join(' '))]);
  if (p.emails?.length)
    rows.push(['emails', p.emails.map((e) => `${esc(e.value)}${e.verified === undefined ? '' : e.verified ? ' (verified)' : ' (not verified)'}`).join('<br>')]);
  if (p.photos?.length) rows.push(['photos', p.photos.map((ph) => esc(ph.value)).join('<br>')]);
  // Provider-specific fields of the profile (ManiaPlanet's `displayNamePlain`, Toornament's ids...).
  for (const [key, value] of Object.entries(p)) {
    if (!STANDARD_FIELDS.has(key) && value !== undefined && value !== null) rows.push([key, esc(typeof value === 'string' ? value : JSON.stringify(value))]);
  }
  const dl = (list: Array<[string, string]>): string => `<dl>${list.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;

  const scopes = user.scopes.length ? user.scopes.map((s) => `<code>${esc(s)}</code>`).join(' ') : '<span class="muted">none</span>';
  const tokenRows: Array<[string, string]> = [
    [
      'granted scopes',
      `<span id="scopes">${scopes}</span>${user.scopesReported ? '' : ' <span class="muted">(the provider did not say; these were asked for)</span>'}`,
    ],
    ['access token expires', `<span id="expires">${esc(formatExpiry(user.tokens.expiresAt))}</span>`],
    ['refresh token', user.tokens.refreshToken ? 'held on the server' : 'none'],
    ['signed in at', esc(formatTime(user.signedInAt))],
  ];
  if (user.refreshedAt !== undefined) tokenRows.push(['last refresh', `<span id="refreshed-at">${esc(formatTime(user.refreshedAt))}</span>`]);

  const actions = [
    user.tokens.refreshToken ? postButton('/refresh', 'Refresh tokens', ctx, { id: 'refresh' }) : '',
    postButton('/logout', 'Sign out', ctx, { id: 'logout-profile', secondary: true }),
  ].join('');
  return layout(
    'Profile',
    `<h1>${esc(plainName(p))}</h1>
${ctx.notice ? `<p class="notice" id="notice">${esc(ctx.notice)}</p>` : ''}
<h2>Normalized profile</h2>
<div class="card" id="profile">${dl(rows)}</div>
<h2>Tokens</h2>
<div class="card" id="tokens">${dl(tokenRows)}
<p class="muted">The tokens themselves stay in the session store; this page never shows them.</p>
<div class="actions">${actions}</div></div>
<h2>Raw profile</h2>
<pre id="raw">${esc(user.rawPreview)}</pre>`,
    ctx,
  );
}

export function failurePage(input: { title: string; message: string; provider?: string }, ctx: PageContext): string {
  return layout(
    input.title,
    `<h1>${esc(input.title)}</h1>
<div class="card error">${input.provider ? `<p class="muted">${esc(input.provider)}</p>` : ''}<p class="message" id="failure-message">${esc(input.message)}</p></div>
<p><a class="button" href="/">Back to the sign-in page</a></p>`,
    ctx,
  );
}

export interface DemoResult {
  title: string;
  /** Where the call went (no query, no credentials). */
  target: string;
  emulated: boolean;
  ok: boolean;
  /** The answer (JSON), or what the visitor is told of a failure: the app's own words, never the provider's text. */
  output: unknown;
  /** The failure itself, for the server log only: it is never rendered. */
  error?: unknown;
  /** The answer as safe HTML (every value escaped), shown instead of the JSON. */
  html?: string;
}

export function demoPage(input: { accountIds: string; results: DemoResult[]; canLookUp: boolean; notice?: string }, ctx: PageContext): string {
  const results = input.results
    .map(
      (r, i) => `<div class="card${r.ok ? '' : ' error'}" id="demo-${i}">
<h2>${esc(r.title)}${r.emulated ? '<span class="badge">emulated</span>' : '<span class="badge real">real</span>'}</h2>
<p class="muted">${esc(r.target)}</p>
${r.ok ? (r.html ?? `<pre>${esc(JSON.stringify(r.output, null, 2))}</pre>`) : `<p class="message">${esc(String(r.output))}</p>`}
</div>`,
    )
    .join('\n');
  const form = input.canLookUp
    ? `<form method="get" action="/demo" class="card">
<label for="accountIds">Trackmania account ids to name (comma separated)</label><br>
<input type="text" id="accountIds" name="accountIds" value="${esc(input.accountIds)}">
<div class="actions"><button type="submit">Look up</button></div>
</form>`
    : `<p class="card" id="demo-accounts">Sample accounts: <code>${esc(input.accountIds)}</code>. Sign in to look up others.</p>`;
  return layout(
    'Token helpers',
    `<h1>Token helpers</h1>
<p>These calls use application tokens, not the signed-in user's: tokens are fetched once, cached until shortly before they expire, and shared by concurrent callers. Results are reused for a short while.</p>
${input.notice ? `<p class="notice" id="notice">${esc(input.notice)}</p>` : ''}
${form}
${results}`,
    ctx,
  );
}

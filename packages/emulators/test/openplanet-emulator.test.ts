import { startOpenplanetEmulator, DEFAULT_OPENPLANET_PLUGIN, type OpenplanetEmulator } from '@maniapass/emulators';

let emulator: OpenplanetEmulator;
beforeEach(async () => {
  emulator = await startOpenplanetEmulator({ plugins: [DEFAULT_OPENPLANET_PLUGIN, { siteId: 7, secret: 'other-plugin-secret' }] });
});
afterEach(() => emulator.close());

const SECRET = DEFAULT_OPENPLANET_PLUGIN.secret;
const now = () => Math.floor(Date.now() / 1000);

async function validate(fields: Record<string, string>, path = '/auth/validate', init: { json?: boolean } = {}) {
  const res = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': init.json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: init.json ? JSON.stringify(fields) : new URLSearchParams(fields),
  });
  return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as Record<string, unknown> };
}

describe('Openplanet emulator', () => {
  it('answers a plugin token with the player, as the validate endpoint documents', async () => {
    const issuedAt = now();
    const token = emulator.issuePluginToken(emulator.users[1]);
    const res = await validate({ token, secret: SECRET });
    expect(res).toEqual({
      status: 200,
      type: 'application/json',
      json: { account_id: emulator.users[1]!.accountId, display_name: emulator.users[1]!.displayName, token_time: expect.any(Number) },
    });
    expect(res.json.token_time).toBeGreaterThanOrEqual(issuedAt);
    expect(emulator.validations(token)).toBe(1);
    expect(emulator.lastRequest('validate')!.form).toEqual({ token, secret: SECRET });
  });

  it('answers on the older host path too', async () => {
    const res = await validate({ token: emulator.issuePluginToken(), secret: SECRET }, '/api/auth/validate');
    expect(res.json.account_id).toBe(emulator.users[0]!.accountId);
  });

  it('refuses a missing or wrong secret, and a missing, unknown, foreign, expired or revoked token, with { error }', async () => {
    const token = emulator.issuePluginToken();
    const refusals: Array<[Record<string, string>, string]> = [
      [{ token }, 'Missing secret'],
      [{ token, secret: 'wrong' }, 'Invalid secret'],
      [{ secret: SECRET }, 'Missing token'],
      [{ token: 'never-issued', secret: SECRET }, 'Invalid token'],
      // A token of another plugin, checked with this plugin's secret.
      [{ token: emulator.issuePluginToken(undefined, { siteId: 7 }), secret: SECRET }, 'Invalid token'],
      [{ token: emulator.issuePluginToken(undefined, { issuedAt: now() - 300 }), secret: SECRET }, 'Token expired'],
    ];
    for (const [fields, error] of refusals) expect(await validate(fields)).toMatchObject({ status: 200, json: { error } });
    const other = emulator.issuePluginToken(undefined, { siteId: 7 });
    expect((await validate({ token: other, secret: 'other-plugin-secret' })).json.account_id).toBe(emulator.users[0]!.accountId);
    emulator.revokePluginToken(token);
    expect((await validate({ token, secret: SECRET })).json).toEqual({ error: 'Invalid token' });
  });

  it('reads only a form body, as a PHP endpoint does: a JSON body has no fields', async () => {
    expect((await validate({ token: emulator.issuePluginToken(), secret: SECRET }, '/auth/validate', { json: true })).json).toEqual({
      error: 'Missing secret',
    });
  });

  it('reads a multipart/form-data body as well (what FormData sends; PHP reads both into $_POST)', async () => {
    const token = emulator.issuePluginToken();
    const body = new FormData();
    body.set('token', token);
    body.set('secret', SECRET);
    const res = await fetch(`${emulator.url}/auth/validate`, { method: 'POST', body });
    expect(((await res.json()) as { account_id?: string }).account_id).toBe(emulator.users[0]!.accountId);
    expect(emulator.lastRequest('validate')!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const withFile = new FormData();
    withFile.set('token', new Blob([token]), 'token.txt');
    withFile.set('secret', SECRET);
    const file = await fetch(`${emulator.url}/auth/validate`, { method: 'POST', body: withFile });
    expect(await file.json()).toEqual({ error: 'Missing token' });
  });

  it('keeps tokens for tokenLifetime seconds (five minutes by default), and once each with singleUse', async () => {
    expect(emulator.tokenLifetime).toBe(300);
    const short = emulator.issuePluginToken(undefined, { issuedAt: now() - 10, lifetime: 5 });
    expect((await validate({ token: short, secret: SECRET })).json.error).toBe('Token expired');
    emulator.singleUse = true;
    const once = emulator.issuePluginToken();
    expect((await validate({ token: once, secret: SECRET })).json.account_id).toBeDefined();
    expect((await validate({ token: once, secret: SECRET })).json.error).toBe('Token already used');
  });

  it('issues tokens for any player, by account id or as an object', async () => {
    const byId = emulator.issuePluginToken(emulator.users[1]!.accountId);
    expect((await validate({ token: byId, secret: SECRET })).json.display_name).toBe(emulator.users[1]!.displayName);
    const anyone = emulator.issuePluginToken({ accountId: 'a1b2', displayName: 'Someone' });
    expect((await validate({ token: anyone, secret: SECRET })).json).toMatchObject({ account_id: 'a1b2', display_name: 'Someone' });
    expect(() => emulator.issuePluginToken('no-such-account')).toThrow('unknown Openplanet emulator user');
    expect(new Set([byId, anyone, emulator.issuePluginToken()]).size).toBe(3);
  });

  it('hands out a token over HTTP for trying a server by hand (not an Openplanet route)', async () => {
    const res = await fetch(`${emulator.url}/emulator/plugin-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accountId: emulator.users[1]!.accountId }),
    });
    const body = (await res.json()) as { token: string; account_id: string };
    expect(body.account_id).toBe(emulator.users[1]!.accountId);
    expect((await validate({ token: body.token, secret: SECRET })).json.account_id).toBe(emulator.users[1]!.accountId);
    const unknown = await fetch(`${emulator.url}/emulator/plugin-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'accountId=nobody',
    });
    expect(unknown.status).toBe(404);
  });

  it('fails on purpose: 5xx as a proxy would answer (HTML), 4xx in the { error } shape, malformed, slow (then normal)', async () => {
    const token = emulator.issuePluginToken();
    emulator.fault('validate', { type: 'status', status: 502 }, { times: 1 });
    const bad = await fetch(`${emulator.url}/auth/validate`, { method: 'POST', body: new URLSearchParams({ token, secret: SECRET }) });
    expect(bad.status).toBe(502);
    expect(await bad.text()).toMatch(/^<html>/);
    emulator.fault('validate', { type: 'status', status: 403 }, { times: 1 });
    expect(await validate({ token, secret: SECRET })).toMatchObject({ status: 403, json: { error: 'Emulated HTTP 403' } });
    emulator.fault('validate', { type: 'malformed' }, { times: 1 });
    const malformed = await fetch(`${emulator.url}/auth/validate`, { method: 'POST', body: new URLSearchParams({ token, secret: SECRET }) });
    await expect(malformed.json()).rejects.toThrow();
    emulator.fault('validate', { type: 'delay', ms: 50 }, { times: 1 });
    expect((await validate({ token, secret: SECRET })).json.account_id).toBeDefined();
    expect(emulator.validations(token)).toBe(1);
  });

  it('gives strategy options that point passport-openplanet at it', () => {
    expect(emulator.strategyOptions()).toEqual({ secret: SECRET, validateURL: `${emulator.url}/auth/validate` });
  });
});

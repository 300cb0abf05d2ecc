import request from 'supertest';
import { AUTHORIZATION_URL as TRACKMANIA_AUTHORIZATION_URL } from 'passport-trackmania';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startProviders } from '../src/providers';
import { SESSION_SECRET } from './helpers';

describe('a provider with real credentials in the environment', () => {
  it('uses the real endpoints and the registered callback URL, and starts no emulator for it', async () => {
    const config = loadConfig({
      SESSION_SECRET,
      BASE_URL: 'https://app.example',
      TRACKMANIA_CLIENT_ID: 'real-client-id',
      TRACKMANIA_CLIENT_SECRET: 'real-client-secret',
    });
    const { providers, close } = await startProviders(config);
    try {
      const trackmania = providers.find((p) => p.entry.name === 'trackmania')!;
      expect(trackmania.emulated).toBe(false);
      expect(trackmania.emulator).toBeUndefined();
      expect(providers.filter((p) => p.emulated).map((p) => p.entry.name)).toEqual(['maniaplanet', 'trackmage', 'toornament']);

      const app = createApp({ providers, sessionSecret: SESSION_SECRET });
      const home = await request(app).get('/');
      expect(home.text).toMatch(/<li id="provider-trackmania"><span class="name">Trackmania<span class="badge real">real<\/span>/);
      expect(home.text).toContain('Uses the real Trackmania endpoints.');

      const start = await request(app).get('/auth/trackmania');
      expect(start.status).toBe(302);
      const location = new URL(start.headers.location as string);
      expect(`${location.origin}${location.pathname}`).toBe(TRACKMANIA_AUTHORIZATION_URL);
      expect(location.searchParams.get('client_id')).toBe('real-client-id');
      expect(location.searchParams.get('redirect_uri')).toBe('https://app.example/auth/trackmania/callback');
      expect(start.headers.location).not.toContain('real-client-secret');
    } finally {
      await close();
    }
  });
});

describe('EMULATORS_URL: the emulators another process runs', () => {
  it('starts no emulator, and points each emulated provider at its port under EMULATORS_URL', async () => {
    const config = loadConfig({ SESSION_SECRET, EMULATORS_URL: 'http://127.0.0.1:4100' });
    const { providers, close } = await startProviders(config);
    try {
      expect(providers.map((p) => [p.entry.name, p.emulated, p.emulator, p.emulatorURL])).toEqual([
        ['trackmania', true, undefined, 'http://127.0.0.1:4100'],
        ['maniaplanet', true, undefined, 'http://127.0.0.1:4101'],
        ['trackmage', true, undefined, 'http://127.0.0.1:4102'],
        ['toornament', true, undefined, 'http://127.0.0.1:4103'],
      ]);
      const start = await request(createApp({ providers, sessionSecret: SESSION_SECRET })).get('/auth/toornament');
      expect(start.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:4103\//);
      expect(new URL(start.headers.location as string).searchParams.get('client_id')).toBe('emulator-client-id');
    } finally {
      await close();
    }
  });
});

// The providers every test, the compatibility suite and the framework apps run against: @maniapass/providers'
// registry, with what the tests need besides each definition (its emulator, its Passport package, the emulator's
// profile endpoint and the profile of its first sample user). A provider added to the registry fails the type
// check here until its entry is written.
import * as emulators from '@maniapass/emulators';
import type { EmulatedUser, OAuthEmulator } from '@maniapass/emulators';
import { PROVIDERS, type OAuthProviderDefinition, type ProviderId } from '@maniapass/providers';

/** What the tests know of one provider. */
export interface TestProvider {
  id: ProviderId;
  definition: OAuthProviderDefinition<never, never, never>;
  /** The Passport package: `passport-<id>`. */
  passportPackage: string;
  /** Starts its emulator on 127.0.0.1. */
  startEmulator(): Promise<OAuthEmulator<EmulatedUser>>;
  /** The emulator endpoint of the (first) profile call. */
  profileEndpoint: string;
  /** The normalized profile of the emulator's first sample user. */
  expectedProfile: { id: string; displayName: string };
}

const EXTRAS: Record<ProviderId, Pick<TestProvider, 'startEmulator' | 'profileEndpoint' | 'expectedProfile'>> = {
  trackmania: {
    startEmulator: () => emulators.startTrackmaniaEmulator(),
    profileEndpoint: 'user',
    expectedProfile: { id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' },
  },
  maniaplanet: {
    startEmulator: () => emulators.startManiaplanetEmulator(),
    profileEndpoint: 'me',
    expectedProfile: { id: 'someplayer', displayName: '$f00Some$fffPlayer' },
  },
  trackmage: {
    startEmulator: () => emulators.startTrackmageEmulator(),
    profileEndpoint: 'user',
    expectedProfile: { id: 'e7508450-4aab-4c5f-b14d-d7440e6da3fd', displayName: 'Jane Doe' },
  },
  toornament: {
    startEmulator: () => emulators.startToornamentEmulator(),
    profileEndpoint: 'me',
    expectedProfile: { id: '145246939508809147', displayName: 'My NickName' },
  },
};

/** Every provider of the registry, in its order. */
export const TEST_PROVIDERS: readonly TestProvider[] = PROVIDERS.map((definition) => ({
  id: definition.id,
  definition: definition as unknown as OAuthProviderDefinition<never, never, never>,
  passportPackage: `passport-${definition.id}`,
  ...EXTRAS[definition.id],
}));

/** The exports of a provider's Passport package (`passport-<id>`), as its users `require` it. */
export function passportPackage(id: ProviderId): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`passport-${id}`);
}

/** The ids of every provider, in the registry's order. */
export const PROVIDER_IDS: readonly ProviderId[] = TEST_PROVIDERS.map((p) => p.id);

/**
 * Drives the emulator's consent page as a browser would: GETs the authorize URL, submits its form with the
 * decision, and returns where the emulator sends the browser back to (the callback URL with its query).
 */
export async function consent(authorizeURL: string, decision: 'approve' | 'deny' = 'approve'): Promise<string> {
  const page = await fetch(authorizeURL, { redirect: 'manual' });
  if (page.status === 302 || page.status === 303) return page.headers.get('location')!;
  const body = await page.text();
  if (page.status !== 200) throw new Error(`the emulator's consent page answered ${page.status}: ${body.slice(0, 200)}`);
  const decode = (text: string) => text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
  const form = new URLSearchParams(
    [...body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, k, v]): [string, string] => [k!, decode(v!)]),
  );
  form.set('decision', decision);
  const action = /<form method="post" action="([^"]+)"/.exec(body)?.[1] ?? new URL(authorizeURL).pathname;
  const hop = await fetch(new URL(decode(action), authorizeURL), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const location = hop.headers.get('location');
  if (!location) throw new Error(`the emulator's consent form answered ${hop.status} without a redirect`);
  return location;
}

// Where the emulators of EMULATORS_URL listen: consecutive ports from its first one, the same layout for the
// process that starts them (`src/emulators.ts`) and for every app process that uses them.

/** Emulator names, in port order. */
export type EmulatorName = 'trackmania' | 'maniaplanet' | 'trackmage' | 'toornament' | 'nadeo' | 'openplanet';

/** Where each emulator listens, as an offset from the first port. Nadeo takes three ports (Core, Live, Meet). */
export const EMULATOR_PORT_OFFSETS: Readonly<Record<EmulatorName, number>> = {
  trackmania: 0,
  maniaplanet: 1,
  trackmage: 2,
  toornament: 3,
  nadeo: 4,
  openplanet: 7,
};

/** The default first port of `npm run emulators`. */
export const DEFAULT_EMULATORS_URL = 'http://127.0.0.1:4100';

/** The URL of one emulator under `emulatorsURL` (its host and first port). */
export function emulatorURL(emulatorsURL: string, name: EmulatorName, extra = 0): string {
  const url = new URL(emulatorsURL);
  return `${url.protocol}//${url.hostname}:${Number(url.port) + EMULATOR_PORT_OFFSETS[name] + extra}`;
}

/** The Nadeo emulator's three hosts under `emulatorsURL`, as `NadeoClient` takes them. */
export function nadeoEmulatorURLs(emulatorsURL: string): { coreURL: string; liveURL: string; meetURL: string } {
  return { coreURL: emulatorURL(emulatorsURL, 'nadeo'), liveURL: emulatorURL(emulatorsURL, 'nadeo', 1), meetURL: emulatorURL(emulatorsURL, 'nadeo', 2) };
}

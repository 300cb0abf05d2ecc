// Compiled (not run) against the packed declarations: the verify arguments are typed from the form written.
import type { Request } from 'express';
import { Strategy, TokenError, ProviderError, type TrackmaniaProfile, type TrackmaniaTokenResponse, type VerifyDone } from 'passport-trackmania';
import { startTrackmaniaEmulator } from '@maniapass/emulators';

export async function typed(): Promise<void> {
  const emulator = await startTrackmaniaEmulator();
  const strategy = new Strategy(
    { ...emulator.strategyOptions(), callbackURL: 'http://127.0.0.1/cb', scope: ['clubs'] },
    async (accessToken, refreshToken, profile) => {
      const id: string = profile.id;
      const at: string = accessToken;
      const rt: string | undefined = refreshToken;
      return { id, at, rt };
    },
  );
  new Strategy(
    { ...emulator.strategyOptions(), callbackURL: '/cb', passReqToCallback: true },
    (req: Request, _at: string, _rt: string | undefined, params: TrackmaniaTokenResponse, profile: TrackmaniaProfile, done: VerifyDone) => {
      done(null, { id: profile.id, path: req.path, expires: params.expires_in });
    },
  );
  const tokens = await strategy.refresh('r');
  const expiresAt: number | undefined = tokens.expiresAt;
  const names: Record<string, string> = await strategy.displayNames(['x']);
  const error: unknown = undefined;
  if (error instanceof TokenError) console.log(error.status, error.code);
  if (error instanceof ProviderError) console.log(error.status, error.url);
  console.log(expiresAt, names);
  await emulator.close();
}

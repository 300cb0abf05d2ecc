// Compiled (not run) against the packed declarations: both verify forms are typed, and the errors are exported.
import type { Request } from 'express';
import { Strategy, ProviderError, type OpenplanetProfile, type OpenplanetFailure, type VerifyDone } from 'passport-openplanet';
import { startOpenplanetEmulator } from '@maniapass/emulators';

export async function typedOpenplanet(): Promise<void> {
  const emulator = await startOpenplanetEmulator();
  const strategy = new Strategy({ ...emulator.strategyOptions(), maxTokenAge: 120, cache: { max: 100 } }, async (profile) => {
    const id: string = profile.id;
    const time: number | undefined = profile.tokenTime;
    return { id, time };
  });
  new Strategy({ secret: 's', passReqToCallback: true }, (req: Request, profile: OpenplanetProfile, done: VerifyDone) =>
    done(null, { id: profile.id, path: req.path }),
  );
  const checked = await strategy.check(emulator.issuePluginToken());
  const failure: OpenplanetFailure | undefined = 'failure' in checked ? checked.failure : undefined;
  const error: unknown = undefined;
  if (error instanceof ProviderError) console.log(error.status, error.upstreamStatus, error.code);
  console.log(failure?.reason);
  await emulator.close();
}

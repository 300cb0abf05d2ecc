// The example app (examples/express-app) with its strategies pointed at emulators that the test runs, so that
// tests can make those emulators fail and count what they saw.
import type express from 'express';
import type { Store } from 'express-session';
import { withTokenResponse } from '@maniapass/oauth2-core';
import { createApp } from '../../examples/express-app/src/app';
import type { AppLimits } from '../../examples/express-app/src/config';
import { PROVIDERS, type ActiveProvider, type AppStrategy } from '../../examples/express-app/src/providers';
import { toSessionUser } from '../../examples/express-app/src/user';

export interface ExampleAppProvider {
  name: string;
  /** The emulator's `strategyOptions()` plus any option under test (`timeout`...). */
  options: Record<string, unknown>;
}

/**
 * The example app with one strategy per entry, built as its `startProviders()` builds them (the provider's
 * scope, a relative callback URL, the app's own session user). `onLogin` sees each token response and profile.
 * Every sign-in comes from one address here, so the per-address limits are off unless `limits` sets them.
 */
export function createExampleApp(
  entries: readonly ExampleAppProvider[],
  init: { store?: Store; log?: (line: string) => void; onLogin?: (params: unknown, profile: unknown) => void; limits?: Partial<AppLimits> } = {},
): express.Express {
  const providers: ActiveProvider[] = entries.map(({ name, options }) => {
    const entry = PROVIDERS.find((p) => p.name === name);
    if (!entry) throw new Error(`the example app has no provider ${name}`);
    const verify = withTokenResponse(
      async (_accessToken, refreshToken, params: Parameters<typeof toSessionUser>[0], profile: Parameters<typeof toSessionUser>[1]) => {
        init.onLogin?.(params, profile);
        return toSessionUser(params, profile, entry.scope, refreshToken);
      },
    );
    const strategy: AppStrategy = entry.createStrategy({ scope: [...entry.scope], ...options, callbackURL: `/auth/${name}/callback` } as never, verify);
    return { entry, strategy, emulated: true };
  });
  return createApp({
    providers,
    sessionSecret: 'reliability-session-secret',
    limits: { authRateLimit: 0, demoRateLimit: 0, ...init.limits },
    ...(init.store ? { store: init.store } : {}),
    log: init.log ?? (() => undefined),
  });
}

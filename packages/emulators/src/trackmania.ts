import { OAuthEmulator, type EmulatedUser, type OAuthEmulatorOptions, type OAuthProviderSpec } from './oauth-emulator';
import type { StartOptions } from './server';

/** A Trackmania account: `id` is the account id (a UUID). */
export interface TrackmaniaUser extends EmulatedUser {
  displayName: string;
}

const MAX_DISPLAY_NAME_IDS = 50;

/** api.trackmania.com: `/oauth/authorize`, `/api/access_token`, `/api/user`, `/api/display-names`. */
export const trackmaniaSpec: OAuthProviderSpec<TrackmaniaUser> = {
  name: 'trackmania',
  title: 'Trackmania',
  authorizePath: '/oauth/authorize',
  tokenPath: '/api/access_token',
  scopes: ['clubs', 'read_favorite', 'write_favorite'],
  accessTokenLifetime: 3600,
  refreshTokenLifetime: 30 * 24 * 3600,
  sampleUsers: [
    { id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite' },
    { id: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0', displayName: 'Wirtual' },
  ],
  makeUser: (n) => ({ id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, displayName: `Driver${n}` }),
  userLabel: (u) => `${u.displayName} (${u.id})`,
  // The documented answer: `"token_type": "bearer"`.
  tokenResponseExtras: () => ({ token_type: 'bearer' }),
  // "Scopes have no effect with client credentials": a requested one is neither checked nor granted.
  clientCredentialsScope: 'ignored',
  // nadeo-api has long sent `Authorization: <jwt>` without `Bearer ` to this API.
  acceptsBareToken: true,
  // league/oauth2-server shape, as seen from clients of the real API.
  tokenError: (error, description) => ({ error, error_description: description, message: description }),
  apiError: (status, message) => ({ error: status === 401 ? 'unauthorized' : 'error', message }),
  endpointOptions: (baseURL) => ({
    authorizationURL: `${baseURL}/oauth/authorize`,
    tokenURL: `${baseURL}/api/access_token`,
    userProfileURL: `${baseURL}/api/user`,
  }),
  apiRoutes: (emulator) => [
    {
      endpoint: 'user',
      method: 'GET',
      path: '/api/user',
      handler: ({ request }) => {
        const auth = emulator.authenticate(request);
        if ('reply' in auth) return auth.reply;
        return { body: { accountId: auth.user!.id, displayName: auth.user!.displayName } };
      },
    },
    {
      endpoint: 'display-names',
      method: 'GET',
      path: '/api/display-names',
      handler: ({ request }) => {
        const auth = emulator.authenticate(request, { allowClientTokens: true });
        if ('reply' in auth) return auth.reply;
        const ids = [...request.query.getAll('accountId[]'), ...request.query.getAll('accountId')];
        if (ids.length === 0) return { status: 400, body: { error: 'invalid_request', message: 'accountId[] is required' } };
        if (ids.length > MAX_DISPLAY_NAME_IDS) {
          return { status: 400, body: { error: 'invalid_request', message: `At most ${MAX_DISPLAY_NAME_IDS} account ids per request` } };
        }
        const names: Record<string, string> = {};
        for (const id of ids) {
          const user = emulator.findUser(id);
          if (user) names[id] = user.displayName;
        }
        return { body: names };
      },
    },
  ],
};

export type TrackmaniaEmulator = OAuthEmulator<TrackmaniaUser>;

/** Starts a Trackmania emulator on a free loopback port. */
export function startTrackmaniaEmulator(options: OAuthEmulatorOptions<TrackmaniaUser> & StartOptions = {}): Promise<TrackmaniaEmulator> {
  return new OAuthEmulator(trackmaniaSpec, options).start(options);
}

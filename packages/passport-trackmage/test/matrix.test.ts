import { startTrackmageEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-trackmage';
import { describeProviderMatrix } from '../../../test-support/provider-matrix';

describeProviderMatrix({
  provider: 'trackmage',
  startEmulator: () => startTrackmageEmulator(),
  createStrategy: (options, verify) => new Strategy(options as never, verify as never),
  authorizePath: '/oauth/v2/auth',
  authorizeQuery: {},
  profileEndpoints: ['user'],
  expectedProfile: {
    id: 'e7508450-4aab-4c5f-b14d-d7440e6da3fd',
    displayName: 'Jane Doe',
    name: { givenName: 'Jane', familyName: 'Doe' },
    emails: [{ value: 'test@example.com', verified: true }],
    photos: [],
  },
  // FOSOAuthServerBundle answers bad client credentials with 400 invalid_client.
  invalidClientStatus: 400,
});

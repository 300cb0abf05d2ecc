import { startManiaplanetEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-maniaplanet';
import { describeProviderMatrix } from '../../../test-support/provider-matrix';

describeProviderMatrix({
  provider: 'maniaplanet',
  startEmulator: () => startManiaplanetEmulator(),
  createStrategy: (options, verify) => new Strategy(options as never, verify as never),
  authorizePath: '/login/oauth2/authorize',
  authorizeQuery: { scope: 'basic' },
  profileEndpoints: ['me'],
  expectedProfile: {
    id: 'someplayer',
    username: 'someplayer',
    displayName: '$f00Some$fffPlayer',
    displayNamePlain: 'SomePlayer',
    zonePath: 'World|Europe|France',
  },
  validScope: 'email',
});

import { startTrackmaniaEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-trackmania';
import { describeProviderMatrix } from '../../../test-support/provider-matrix';

describeProviderMatrix({
  provider: 'trackmania',
  startEmulator: () => startTrackmaniaEmulator(),
  createStrategy: (options, verify) => new Strategy(options as never, verify as never),
  authorizePath: '/oauth/authorize',
  authorizeQuery: {},
  profileEndpoints: ['user'],
  expectedProfile: { id: '5b4d42f4-c2de-407d-b367-cbff3fe817bc', displayName: 'tooInfinite', username: 'tooInfinite' },
  validScope: 'clubs',
});

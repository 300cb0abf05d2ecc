import { startToornamentEmulator } from '@maniapass/emulators';
import { Strategy } from 'passport-toornament';
import { describeProviderMatrix } from '../../../test-support/provider-matrix';

describeProviderMatrix({
  provider: 'toornament',
  startEmulator: () => startToornamentEmulator(),
  createStrategy: (options, verify) => new Strategy(options as never, verify as never),
  authorizePath: '/oauth2/authorize',
  authorizeQuery: { scope: 'user:info' },
  requiredHeaders: { 'X-Api-Key': 'emulator-api-key' },
  profileEndpoints: ['me'],
  expectedProfile: { id: '145246939508809147', displayName: 'My NickName', username: 'My NickName', country: 'US' },
  validScope: 'organizer:view',
});

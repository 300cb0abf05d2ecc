// passport-oauth2 1.8's hooks, state stores, PKCE and callback URLs, each run against every strategy and plain
// passport-oauth2.
import { describeCompat } from '../table';
import { hookRows, stateRows, urlRows } from '../flow-rows';

describeCompat('hooks', hookRows);
describeCompat('state', stateRows);
describeCompat('callback URL', urlRows);

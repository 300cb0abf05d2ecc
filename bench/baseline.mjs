// The baseline: the minimal passport-oauth2 subclass a developer would write by hand for a provider.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const OAuth2Strategy = require('passport-oauth2');
const { InternalOAuthError } = OAuth2Strategy;

/**
 * `new BaselineStrategy({ name, authorizationURL, tokenURL, clientID, clientSecret, callbackURL, scope, profileURL, idOf, headers, emailURL? }, verify)`.
 * The profile URL may depend on the token response (TrackMage), so it is resolved per login. With `emailURL`
 * (ManiaPlanet's `email` scope), the address is fetched after the profile, one call after the other, as a
 * hand-written `userProfile` would.
 */
export class BaselineStrategy extends OAuth2Strategy {
  constructor(options, verify) {
    super({ ...options, state: true, customHeaders: options.headers, passReqToCallback: false }, (accessToken, refreshToken, params, profile, done) =>
      verify(accessToken, refreshToken, profile, done),
    );
    this.name = options.name;
    this._profileURL = options.profileURL;
    this._idOf = options.idOf;
    this._emailURL = options.emailURL;
    this._oauth2.useAuthorizationHeaderforGET(true);
    this._lastParams = new Map();
    // node-oauth hands the token response to the verify, not to userProfile: keep it for the profile URL.
    const getToken = this._oauth2.getOAuthAccessToken.bind(this._oauth2);
    this._oauth2.getOAuthAccessToken = (code, params, callback) =>
      getToken(code, params, (err, accessToken, refreshToken, results) => {
        if (!err) this._lastParams.set(accessToken, results);
        callback(err, accessToken, refreshToken, results);
      });
  }

  userProfile(accessToken, done) {
    const params = this._lastParams.get(accessToken) ?? {};
    this._lastParams.delete(accessToken);
    this._oauth2.get(this._profileURL(params), accessToken, (err, body) => {
      if (err) return done(new InternalOAuthError('failed to fetch user profile', err));
      try {
        const json = JSON.parse(body);
        const profile = { provider: this.name, id: String(this._idOf(json)), _raw: body, _json: json };
        if (!this._emailURL) return done(null, profile);
        this._oauth2.get(this._emailURL, accessToken, (emailErr, emailBody) => {
          if (emailErr) return done(new InternalOAuthError('failed to fetch user e-mail', emailErr));
          try {
            const email = emailBody ? JSON.parse(emailBody) : null;
            done(null, { ...profile, emails: email ? [{ value: email }] : [] });
          } catch (e) {
            done(e);
          }
        });
      } catch (e) {
        done(e);
      }
    });
  }
}

import { objectBody, parseJsonBody, stringField, type ProviderProfile } from '@maniapass/http';

/** `GET /api/user` as documented (camelCase); some clients have seen snake_case, which is accepted too. */
export interface TrackmaniaUserJson {
  /** The account id: a UUID that never changes. Key your users on it. */
  accountId?: string;
  /** The current display name: it can change. */
  displayName?: string;
  /** `accountId` as some clients have seen it. */
  account_id?: string;
  /** `displayName` as some clients have seen it. */
  display_name?: string;
}

/** The profile a Trackmania sign-in gives the verify function. */
export interface TrackmaniaProfile extends ProviderProfile<TrackmaniaUserJson> {
  /** Always `trackmania`. */
  provider: 'trackmania';
  /** The account id. */
  id: string;
  /** The current display name: it can change. */
  displayName: string;
  /** Same as `displayName`. */
  username: string;
}

/** Parses the body of `GET /api/user`. Throws when it has no account id. */
export function parseTrackmaniaProfile(raw: string): TrackmaniaProfile {
  const json = parseJsonBody(raw, 'Trackmania profile');
  const body = objectBody(json);
  const id = stringField(body?.accountId) ?? stringField(body?.account_id);
  if (!body || !id) throw new Error('Trackmania profile has no accountId');
  const displayName = stringField(body.displayName) ?? stringField(body.display_name) ?? '';
  return { provider: 'trackmania', id, displayName, username: displayName, _raw: raw, _json: body as TrackmaniaUserJson };
}

import type { TokenAnswerQuirks } from '@maniapass/providers';

/**
 * A provider's 2xx token answer made acceptable to oauth4webapi, which Auth.js v5 runs and which refuses it as some
 * providers send it: `scope: null` (TrackMage's and Toornament's code answers) is removed, as RFC 6749 §5.1 leaves
 * an unchanged scope out; a missing `token_type` becomes `bearer`, the only type these providers issue. Anything
 * else, the provider fields a profile loader needs included (TrackMage's `user_id`), is kept as it is. A body that
 * is not a JSON object is returned unchanged, for oauth4webapi to refuse.
 */
export function conformTokenAnswer(body: string, quirks: TokenAnswerQuirks): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return body;
  const answer = json as Record<string, unknown>;
  let changed = false;
  if (answer.scope === null) {
    delete answer.scope;
    changed = true;
  }
  if (answer.token_type === undefined || answer.token_type === null) {
    answer.token_type = quirks.tokenType;
    changed = true;
  }
  return changed ? JSON.stringify(answer) : body;
}

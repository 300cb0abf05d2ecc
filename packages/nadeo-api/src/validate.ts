import { NadeoInputError } from './errors';

// Every value that reaches a URL is checked here first: a comma, a slash or a `?` would change the request.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAP_UID = /^[A-Za-z0-9_-]{1,40}$/;
const GROUP_UID = /^[A-Za-z0-9_-]{1,80}$/;
const COMPETITION_ID = /^[A-Za-z0-9-]{1,80}$/;

/** Shown in messages: a bounded, printable excerpt of what the caller passed. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
  return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}

/** A Trackmania account id (a UUID), lower-cased. */
export function accountId(value: unknown, name = 'accountId'): string {
  if (typeof value !== 'string' || !UUID.test(value))
    throw new NadeoInputError(name, `must be an account id (a UUID such as 5b4d42f4-c2de-407d-b367-cbff3fe817bc), not ${shown(value)}`);
  return value.toLowerCase();
}

/** A map id (Core's UUID for a map), lower-cased. */
export function mapId(value: unknown, name = 'mapId'): string {
  if (typeof value !== 'string' || !UUID.test(value))
    throw new NadeoInputError(name, `must be a map id (a UUID; a map UID such as olsKnq_qAghcVAnEkoeUnVHFZei is not one), not ${shown(value)}`);
  return value.toLowerCase();
}

/** Any of Nadeo's UUIDs (records, seasons, zones). */
export function uuid(value: unknown, name: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new NadeoInputError(name, `must be a UUID, not ${shown(value)}`);
  return value.toLowerCase();
}

/** A map UID: letters, digits, `_` and `-` (27 characters for Trackmania maps). */
export function mapUid(value: unknown, name = 'mapUid'): string {
  if (typeof value !== 'string' || !MAP_UID.test(value))
    throw new NadeoInputError(name, `must be a map UID (letters, digits, _ and -, such as olsKnq_qAghcVAnEkoeUnVHFZei), not ${shown(value)}`);
  return value;
}

/** A leaderboard group: `Personal_Best` or a season's UID. */
export function groupUid(value: unknown, name = 'groupUid'): string {
  if (typeof value !== 'string' || !GROUP_UID.test(value)) throw new NadeoInputError(name, `must be Personal_Best or a season UID, not ${shown(value)}`);
  return value;
}

/** A competition's numeric id or its `LID-COMP-...` live id. */
export function competitionId(value: unknown, name = 'competitionId'): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? String(value) : value;
  if (typeof text !== 'string' || !COMPETITION_ID.test(text))
    throw new NadeoInputError(name, `must be a competition id (such as 3633 or LID-COMP-4uviu3rgnjxr4yx), not ${shown(value)}`);
  return text;
}

/** A whole number within bounds. */
export function integer(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new NadeoInputError(name, `must be a whole number from ${min} to ${max}, not ${shown(value)}`);
  }
  return value;
}

/** A page of a listing: `length` ≤ the endpoint's maximum, and `offset + length` ≤ `maxEnd` where the endpoint has one. */
export function page(
  input: { length?: number; offset?: number } | undefined,
  defaults: { length: number; maxLength: number; maxEnd?: number },
): { length: number; offset: number } {
  const length = integer(input?.length ?? defaults.length, 'length', 1, defaults.maxLength);
  const offset = integer(input?.offset ?? 0, 'offset', 0);
  if (defaults.maxEnd !== undefined && offset + length > defaults.maxEnd) {
    throw new NadeoInputError(
      'offset',
      `+ length must be at most ${defaults.maxEnd} (Nadeo serves only the first ${defaults.maxEnd.toLocaleString('en')} records), not ${offset + length}`,
    );
  }
  return { length, offset };
}

/** A non-empty list of values, each checked, without repeats, in the caller's order. */
export function list<T>(values: unknown, name: string, check: (value: unknown, name: string) => T): T[] {
  if (!Array.isArray(values) && !(values instanceof Set)) throw new NadeoInputError(name, `must be an array, not ${shown(values)}`);
  const out = new Set<T>();
  for (const value of values) out.add(check(value, name));
  return [...out];
}

/** An optional string option (a name to search for, a game mode), bounded in length. */
export function optionalText(value: unknown, name: string, max = 100): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) throw new NadeoInputError(name, `must be a string of at most ${max} characters, not ${shown(value)}`);
  return value;
}

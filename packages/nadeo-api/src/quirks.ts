// Nadeo's answers as documented, made regular: hidden scores, empty objects for an invalid group, errors as bare
// arrays of strings.
import { ProviderError } from '@maniapass/http';
import { NadeoApiError } from './errors';
import type { LeaderboardRecord, MapRecord } from './types';

/** Live leaderboards answer `-1` for a score the map's author hides. */
export const HIDDEN_SCORE = -1;
/** Core records answer 4294967295 for a time the map's author hides. */
export const HIDDEN_TIME = 4294967295;

/** `{}`, Nadeo's answer for an invalid or closed group (or a missing PB): `true`. */
export function isEmptyObject(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** The codes of an error answer: a non-empty array of strings, or an object with a string `code`. */
export function errorCodes(value: unknown): string[] | undefined {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value.slice(0, 10).map((v: string) => v.slice(0, 120));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string' && code) return [code.slice(0, 120)];
  }
  return undefined;
}

/** A success answer that is a bare array of error codes, where `expectArray` says an array of objects is not expected. */
export function throwIfErrorAnswer(endpoint: string, value: unknown, expectArray: boolean): void {
  if (Array.isArray(value) && expectArray) return;
  const codes = Array.isArray(value) ? errorCodes(value) : undefined;
  if (codes) throw new NadeoApiError(endpoint, codes, 200);
}

/** A `ProviderError` from nadeo-auth whose body holds Nadeo's codes, as a `NadeoApiError`; anything else as is. */
export function typedError(endpoint: string, err: unknown): unknown {
  if (!(err instanceof ProviderError) || err.upstreamStatus === undefined) return err;
  const data = (err.oauthError as { data?: unknown } | undefined)?.data;
  if (typeof data !== 'string') return err;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return err;
  }
  const codes = errorCodes(parsed);
  return codes ? new NadeoApiError(endpoint, codes, err.upstreamStatus, { cause: err }) : err;
}

/**
 * An answer that is not of the documented shape where the package reads into it (a list that is not a list): a
 * `ProviderError` with `code: 'EBADRESPONSE'`, as nadeo-auth gives for a body that is not JSON.
 */
export function badAnswer(endpoint: string, expected: string): ProviderError {
  return new ProviderError(`nadeo-api: ${endpoint} answered JSON that is not ${expected}`, undefined, { provider: 'nadeo', code: 'EBADRESPONSE' });
}

/** The array `value` is, or a `badAnswer`; `null` (an empty answer) is an empty array. */
export function arrayOf<T>(endpoint: string, value: unknown): T[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw badAnswer(endpoint, 'a list');
  return value.filter((item) => item !== null && typeof item === 'object') as T[];
}

/** The object `value` is (not an array), or a `badAnswer`. */
export function objectOf<T>(endpoint: string, value: unknown): T {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badAnswer(endpoint, 'an object');
  return value as T;
}

/** A Live leaderboard record with `score: null, hidden: true` for a hidden score. */
export function leaderboardRecord(raw: Omit<LeaderboardRecord, 'hidden'> & { score: number | null }): LeaderboardRecord {
  const hidden = raw.score === HIDDEN_SCORE;
  return { ...raw, score: hidden ? null : raw.score, hidden };
}

/** A Core map record with `time: null` for a hidden time. */
export function mapRecord(raw: MapRecord): MapRecord {
  if (!raw || typeof raw !== 'object' || !raw.recordScore) return raw;
  return raw.recordScore.time === HIDDEN_TIME ? { ...raw, recordScore: { ...raw.recordScore, time: null } } : raw;
}

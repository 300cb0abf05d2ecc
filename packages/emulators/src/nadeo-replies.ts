// Answers the Nadeo emulator's routes share: Nadeo's error shapes and its limits on requests.
import { randomBytes } from 'node:crypto';
import type { RecordedRequest, Reply } from './server';

/** Nadeo answers 414 to a request URI of this many characters or more (the reference measures 8,220). */
export const MAX_URI_LENGTH = 8220;

/** The emulator's own error body for what the reference does not show (token refusals, faults). */
export const errorBody = (code: string, message: string) => ({ code, message });

/** Core's validation error (`C-AA-00-03`), naming the parameter at fault. */
export function coreValidationError(parameter: string, message: string): Reply {
  return {
    status: 400,
    body: { code: 'C-AA-00-03', correlation_id: randomBytes(16).toString('hex'), message: 'There was a validation error.', info: { [parameter]: message } },
  };
}

/** Core's error with a code (`C-AA-00-19` Forbidden, `C-AL-02-03` Not Found...). */
export function coreError(status: number, code: string, message: string): Reply {
  return { status, body: { code, correlation_id: randomBytes(16).toString('hex'), message } };
}

/** Live's error shapes: a bare array of strings (`["club:error-notFound"]`). */
export function liveCodes(status: number, ...codes: string[]): Reply {
  return { status, body: codes };
}

/** Live's internal error, what it answers for an unknown map. */
export function liveInternalError(error: string): Reply {
  return {
    status: 500,
    body: { error, message: 'Nadeo Live Services Internal Log', traceId: `Root=1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}` },
  };
}

/** 414 when the request URI is as long as Nadeo refuses. */
export function uriTooLong(request: RecordedRequest): Reply | undefined {
  return request.target.length >= MAX_URI_LENGTH
    ? { status: 414, body: '<html><body><h1>414 Request-URI Too Large</h1></body></html>', headers: { 'Content-Type': 'text/html' } }
    : undefined;
}

/** A query parameter as a whole number, its default when absent; `undefined` when present and not a whole number. */
export function intParam(request: RecordedRequest, name: string, fallback: number): number | undefined {
  const raw = request.query.get(name);
  if (raw === null || raw === '') return fallback;
  return /^-?\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** A comma-separated list parameter, empty entries dropped. */
export function listParam(request: RecordedRequest, name: string): string[] {
  return (request.query.get(name) ?? '').split(',').filter(Boolean);
}

/** `true` for `true` (any case), as the services read booleans. */
export function boolParam(request: RecordedRequest, name: string): boolean {
  return (request.query.get(name) ?? '').toLowerCase() === 'true';
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

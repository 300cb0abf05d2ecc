// Drives whole sign-ins over HTTP as a browser would: one cookie jar per sign-in, the emulator's consent page
// approved as a chosen user, the callback replayed against the app.
import request from 'supertest';
import type { AnyEmulator, ReliabilityProvider } from './providers';

export type Agent = ReturnType<typeof request.agent>;

export interface SignInOutcome {
  /** `success` (landed on /me), `failure` (landed on /failed), `error` (the app answered an error), `stuck` (no callback). */
  kind: 'success' | 'failure' | 'error' | 'stuck';
  /** Status of the callback response (or of the last response seen). */
  status: number;
  /** Every body the app sent during the sign-in, for leak checks. */
  bodies: string[];
  /** The session user after a success. */
  user?: { provider: string; id: string };
  /** The app's JSON error (`{ name, message, code }`) when it answered one. */
  error?: { name?: string; message?: string; code?: string; upstreamStatus?: number };
  /** The code the emulator issued, when it issued one. */
  code?: string;
  agent: Agent;
  /** The whole sign-in. */
  ms: number;
  /** The callback leg alone (code exchange and profile), or undefined when there was none. */
  callbackMs?: number;
}

interface Hop {
  status: number;
  location: string;
  body: string;
}

async function hop(url: string, init: { method?: string; body?: string } = {}): Promise<Hop> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: init.body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
    body: init.body,
  });
  return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
}

function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

let serial = 1_000_000;

/** Adds a new user to the emulator (the provider's own user shape) and returns it. */
export function addUser(emulator: AnyEmulator): { id: string } {
  serial += 1;
  const user = emulator.spec.makeUser(serial);
  emulator.users.push(user);
  return user;
}

/** The path and query of an absolute URL. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * One sign-in with `strategyName` on the app at `appURL`: start route → consent page approved as `userId`
 * (or the emulator's own auto-approve when `userId` is undefined) → callback → `/me`.
 */
export async function signIn(appURL: string, strategyName: string, userId?: string, agent: Agent = request.agent(appURL)): Promise<SignInOutcome> {
  const started = Date.now();
  const bodies: string[] = [];
  let callbackMs: number | undefined;
  const done = (outcome: Omit<SignInOutcome, 'agent' | 'ms' | 'bodies' | 'callbackMs'>): SignInOutcome => ({
    ...outcome,
    bodies,
    agent,
    ms: Date.now() - started,
    callbackMs,
  });

  const start = await agent.get(`/auth/${strategyName}`);
  bodies.push(start.text ?? '');
  if (start.status !== 302) return done({ kind: start.status >= 400 ? 'error' : 'stuck', status: start.status });
  const authorizeURL = start.headers.location as string;
  let step = await hop(authorizeURL);
  if (step.status === 200) {
    // The consent page: submit its form as a browser would, as the chosen user.
    const fields = [...step.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, k, v]): [string, string] => [k!, decodeHtml(v!)]);
    const form = new URLSearchParams(fields);
    form.set('decision', 'approve');
    if (userId !== undefined) form.set('user_id', userId);
    const action = /<form method="post" action="([^"]+)"/.exec(step.body)?.[1] ?? new URL(authorizeURL).pathname;
    step = await hop(new URL(decodeHtml(action), authorizeURL).toString(), { method: 'POST', body: form.toString() });
  }
  if (step.status !== 302 || !step.location) return done({ kind: 'stuck', status: step.status });
  const code = new URL(step.location).searchParams.get('code') ?? undefined;
  const callbackStarted = Date.now();
  const callback = await agent.get(pathOf(step.location));
  callbackMs = Date.now() - callbackStarted;
  bodies.push(callback.text ?? '');
  const location = (callback.headers.location as string | undefined) ?? '';
  if (callback.status === 302 && (location.startsWith('/failed') || location.startsWith('/auth/failure'))) {
    const failed = await agent.get(location);
    bodies.push(failed.text ?? '');
    return done({ kind: 'failure', status: callback.status, code });
  }
  if (callback.status === 302 && (location === '/me' || location === '/profile')) {
    const me = await agent.get(location);
    bodies.push(me.text ?? '');
    return done({ kind: 'success', status: callback.status, user: sessionUserOf(me.text ?? '', me.body as { user?: { provider: string; id: string } }), code });
  }
  return done({ kind: callback.status >= 400 ? 'error' : 'stuck', status: callback.status, code, error: callback.body?.error });
}

/**
 * The signed-in user as the app shows it: `/me` of the reliability app answers JSON; the example app's
 * `/profile` page lists the provider and the id.
 */
export function sessionUserOf(text: string, json: { user?: { provider: string; id: string } } | undefined): { provider: string; id: string } | undefined {
  if (json && typeof json === 'object' && 'user' in json) return json.user ?? undefined;
  const match = /<dt>provider<\/dt><dd>([^<]*)<\/dd><dt>id<\/dt><dd><code>([^<]*)<\/code><\/dd>/.exec(text);
  return match ? { provider: decodeHtml(match[1]!), id: decodeHtml(match[2]!) } : undefined;
}

/** The `_csrf` field of the first form on a page. */
export function csrfOf(html: string): string | undefined {
  const match = /name="_csrf" value="([^"]*)"/.exec(html);
  return match ? decodeHtml(match[1]!) : undefined;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; results in order. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Provider-neutral description of a strategy's outbound calls, for picking fault targets. */
export function endpointsOf(provider: ReliabilityProvider): { token: string; profile: string } {
  return { token: 'token', profile: provider.profileEndpoints[0]! };
}

/** True when `text` looks like a stack trace (`at fn (file:line:col)`). */
export function hasStack(text: string): boolean {
  return /\n\s+at .+:\d+:\d+/.test(text) || /\bat [\w.<>]+ \((?:\/|node:)[^)]*:\d+:\d+\)/.test(text);
}

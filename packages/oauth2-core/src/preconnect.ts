import type { ProviderClient } from '@maniapass/http';

/** Where a strategy's sign-in calls go, for opening their connections ahead. */
export interface ConnectionPlan {
  tokenURL: string;
  userProfileURL: string;
  /** Whether the profile is on the token host (one connection serves both calls in turn). */
  profileOnTokenHost: boolean;
}

/** Whether two endpoint URLs are on one host (one connection serves both). */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * The `preconnect` option. At the authorize redirect, opens the connections the callback's calls will need, so
 * that it finds them ready: one to the token host, and as many to the profile host as `loadProfile` makes calls at
 * once (`profileCalls`). As the callback starts, opens those still missing that the token request will not open
 * itself (a second one for a parallel profile call then opens while the token request runs). Connections already
 * idle count; see `preconnect` in the HTTP layer.
 */
export function openConnections(client: ProviderClient, plan: ConnectionPlan, profileCalls: number, atCallback: boolean): void {
  if (plan.profileOnTokenHost) {
    if (!atCallback || profileCalls > 1) client.preconnect(plan.tokenURL, Math.max(1, profileCalls));
  } else {
    if (!atCallback) client.preconnect(plan.tokenURL);
    client.preconnect(plan.userProfileURL, profileCalls);
  }
}

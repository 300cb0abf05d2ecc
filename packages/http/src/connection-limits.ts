// The agent's limits, at hand for every package's cold start (the agent itself loads with the first request).

/**
 * How long an idle connection is kept open, in milliseconds: a connection opened at the authorize redirect has to
 * outlast the visitor's time at the provider (signing in there, reading the consent page), and a kept-alive one
 * the time between two sign-ins. A server that announces a shorter keep-alive (`Keep-Alive: timeout=N`) is obeyed.
 */
export const KEEP_ALIVE_MS = 60_000;

/** The most connections `preconnect` keeps ready for one host. */
export const MAX_PRECONNECTED = 4;

// The code that talks to the network: the transports, the keep-alive agents and the deadlines' timer, loaded by
// networking.ts with the first request, preconnect or deadline. The build gives network.ts a file of its own
// (scripts/bundle.mjs: a sibling loaded with `require` is not bundled in): a package's cold start, part of every
// server's start, does not compile it. What it shares with the package's main file holds no class or state.
export { viaFetch, viaNode } from './transports';
export { preconnect } from './agent';
export { unwatch, watch } from './deadlines';

export { EmulatorServer } from './server';
export type { Fault, FaultOptions, RecordedRequest, Reply, Route, RouteContext, StartOptions } from './server';
export { OAuthEmulator, DEFAULT_CLIENT } from './oauth-emulator';
export type { AccessClaims, EmulatedUser, EmulatorClient, OAuthEmulatorOptions, OAuthProviderSpec } from './oauth-emulator';
export { JwtSigner } from './jwt';
export { startTrackmaniaEmulator, trackmaniaSpec } from './trackmania';
export type { TrackmaniaEmulator, TrackmaniaUser } from './trackmania';

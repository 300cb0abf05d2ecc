export { EmulatorServer } from './server';
export type { Fault, FaultOptions, RecordedRequest, Reply, Route, RouteContext, StartOptions } from './server';
export { OAuthEmulator, DEFAULT_CLIENT, leagueAccessToken } from './oauth-emulator';
export type { AccessClaims, AccessTokenFormat, EmulatedUser, EmulatorClient, IssuedToken, OAuthEmulatorOptions, OAuthProviderSpec } from './oauth-emulator';
export { JwtSigner } from './jwt';
export { startTrackmaniaEmulator, trackmaniaSpec, createTrackmaniaSpec } from './trackmania';
export type { TrackmaniaEmulator, TrackmaniaEmulatorOptions, TrackmaniaUser, TrackmaniaMap, TrackmaniaMapRecord } from './trackmania';
export { startManiaplanetEmulator, maniaplanetSpec, createManiaplanetSpec, MANIAPLANET_SCOPES } from './maniaplanet';
export type { ManiaplanetEmulator, ManiaplanetEmulatorOptions, ManiaplanetUser, ManiaplanetEmulatedTitle } from './maniaplanet';
export { startTrackmageEmulator, trackmageSpec, SAMPLE_PASSWORD as TRACKMAGE_SAMPLE_PASSWORD } from './trackmage';
export type { TrackmageEmulator, TrackmageUser, TrackmageWorkspace } from './trackmage';
export {
  startToornamentEmulator,
  toornamentSpec,
  createToornamentSpec,
  toornamentRateLimit,
  DEFAULT_TOORNAMENT_API_KEY,
  TOORNAMENT_SCOPES,
} from './toornament';
export type {
  ToornamentEmulator,
  ToornamentEmulatorOptions,
  ToornamentUser,
  ToornamentRegistration,
  ToornamentParticipant,
  ToornamentLineupMember,
} from './toornament';
export { startNadeoEmulator, NadeoEmulator, DEFAULT_SERVICE_ACCOUNT, DEFAULT_DEDICATED_ACCOUNT, NADEO_AUDIENCES } from './nadeo';
export {
  SAMPLE_MAPS as NADEO_SAMPLE_MAPS,
  SAMPLE_CLUBS as NADEO_SAMPLE_CLUBS,
  SAMPLE_ZONES as NADEO_SAMPLE_ZONES,
  generatedMaps as generatedNadeoMaps,
} from './nadeo-data';
export type { NadeoMap, NadeoClub, NadeoZone } from './nadeo-data';
export type { NadeoEmulatorAccount, NadeoEmulatorOptions, NadeoAudience, NadeoTokenClaims } from './nadeo';
export {
  startOpenplanetEmulator,
  OpenplanetEmulator,
  DEFAULT_OPENPLANET_PLUGIN,
  OPENPLANET_VALIDATE_PATH,
  OPENPLANET_LEGACY_VALIDATE_PATH,
} from './openplanet';
export type { OpenplanetEmulatorOptions, OpenplanetPlugin, OpenplanetUser } from './openplanet';

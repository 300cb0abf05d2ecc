// Nadeo's web services (Trackmania) as typed, paced calls on nadeo-auth's NadeoClient.
export { NadeoAPI, LIMITS } from './api';
export type {
  NadeoAPIOptions,
  CacheTtls,
  PageOptions,
  LeaderboardTopOptions,
  LeaderboardSurroundOptions,
  PositionQuery,
  MapRecordsOptions,
  AccountRecordsOptions,
} from './api';
export { Batcher, splitIds, MAX_URI_LENGTH } from './batcher';
export type { BatcherSource } from './batcher';
export { JsonCache } from './cache';
export { NadeoInputError, AccountTypeError, NadeoApiError } from './errors';
export { accountIdToLogin, loginToAccountId } from './identity';
export { HIDDEN_SCORE, HIDDEN_TIME } from './quirks';
export { formattingToHtml, formattingToPlain, parseFormatting } from '@maniapass/providers';
export type { FormattedSegment, FormattingStyle } from '@maniapass/providers';
export { NadeoClient } from 'nadeo-auth';
export type * from './types';

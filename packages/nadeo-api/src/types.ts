// Answers of Nadeo's web services, typed from the examples of the community reference (webservices.openplanet.dev).
// Names with `$` formatting codes (maps, clubs) are as Nadeo sends them: render them with `formattingToHtml`.

/** Live `GET /api/token/map/{mapUid}` and each map of `map/get-multiple`. */
export interface LiveMapInfo {
  uid: string;
  mapId: string;
  /** With `$` formatting codes. */
  name: string;
  /** Account id of the author. */
  author: string;
  /** Account id of the submitter. */
  submitter: string;
  /** Milliseconds (or points on Stunt maps), as are the other medal fields. */
  authorTime: number;
  goldTime: number;
  silverTime: number;
  bronzeTime: number;
  nbLaps: number;
  valid: boolean;
  downloadUrl: string;
  thumbnailUrl: string;
  /** Epoch seconds. */
  uploadTimestamp: number;
  /** Epoch seconds. */
  updateTimestamp: number;
  fileSize: number | null;
  public: boolean;
  favorite: boolean;
  playable: boolean;
  mapStyle: string;
  mapType: string;
  collectionName: string;
}

/** Live `GET /api/token/map/get-multiple`. */
export interface LiveMapInfoList {
  mapList: LiveMapInfo[];
  itemCount: number;
}

/** Core `GET /maps/by-uid/` and `/maps/by-id/`: one map. */
export interface CoreMapInfo {
  author: string;
  authorScore: number;
  bronzeScore: number;
  collectionName: string;
  createdWithGamepadEditor: boolean;
  createdWithSimpleEditor: boolean;
  fileUrl: string;
  filename: string;
  goldScore: number;
  hasClones: boolean;
  isPlayable: boolean;
  mapId: string;
  mapStyle: string;
  mapType: string;
  mapUid: string;
  /** With `$` formatting codes. */
  name: string;
  silverScore: number;
  submitter: string;
  thumbnailUrl: string;
  /** ISO 8601. */
  timestamp: string;
}

/** One record of a Live leaderboard. */
export interface LeaderboardRecord {
  accountId: string;
  zoneId: string;
  zoneName: string;
  position: number;
  /**
   * Milliseconds (or points); `null` where the author set a secret threshold and Nadeo answers `-1` in its place
   * (see `hidden`).
   */
  score: number | null;
  /** `true` where Nadeo hides the score (its `-1`). */
  hidden: boolean;
  /** Epoch seconds when the record was set (top only, since December 2024). */
  timestamp?: number;
}

/** One zone's part of a leaderboard answer. */
export interface LeaderboardZone {
  zoneId: string;
  zoneName: string;
  top: LeaderboardRecord[];
}

/** Live leaderboard `top` and `surround` answers. */
export interface Leaderboard {
  groupUid: string;
  mapUid: string;
  tops: LeaderboardZone[];
}

/** Live `POST /api/token/leaderboard/group/map?scores[...]`: the position a score would have, per map. */
export interface PositionByTime {
  groupUid: string;
  mapUid: string;
  score: number;
  zones: Array<{ zoneId: string; zoneName: string; ranking: { position: number; length: number } }>;
}

/** One Track of the Day (or Royal map). */
export interface TrackOfTheDay {
  campaignId: number;
  mapUid: string;
  /** Day of the week, 0 = Monday. */
  day: number;
  monthDay: number;
  seasonUid: string;
  leaderboardGroup: string | null;
  startTimestamp: number;
  endTimestamp: number;
  relativeStart: number;
  relativeEnd: number;
}

/** Images of a campaign or a month (URLs, often empty). */
export interface CampaignMedia {
  buttonBackgroundUrl: string;
  buttonForegroundUrl: string;
  decalUrl: string;
  popUpBackgroundUrl: string;
  popUpImageUrl: string;
  liveButtonBackgroundUrl: string;
  liveButtonForegroundUrl: string;
}

/** Live `GET /api/token/campaign/month`. */
export interface TrackOfTheDayMonths {
  monthList: Array<{ year: number; month: number; lastDay: number; days: TrackOfTheDay[]; media: CampaignMedia }>;
  itemCount: number;
  /** Epoch seconds; `-1` when the next one is not scheduled yet. */
  nextRequestTimestamp: number;
  relativeNextRequest: number;
}

/** A map of a campaign's playlist. */
export interface PlaylistMap {
  id: number;
  position: number;
  mapUid: string;
}

/** An official campaign (seasonal or weekly shorts). */
export interface OfficialCampaign {
  id: number;
  seasonUid: string;
  name: string;
  useCase: number;
  clubId: number;
  startTimestamp: number;
  endTimestamp: number;
  rankingSentTimestamp: number | null;
  year: number;
  week: number;
  day: number;
  monthYear: number;
  month: number;
  monthDay: number;
  playlist: PlaylistMap[];
  editionTimestamp: number;
}

/** Live `GET /api/campaign/official` and `/api/campaign/weekly-shorts`. */
export interface OfficialCampaigns {
  itemCount: number;
  campaignList: OfficialCampaign[];
  nextRequestTimestamp: number;
  relativeNextRequest: number;
}

/** A club campaign's own description. */
export interface ClubCampaignDetails extends Omit<OfficialCampaign, 'editionTimestamp'> {
  color: string;
  leaderboardGroupUid: string;
  publicationTimestamp: number;
  published: boolean;
  latestSeasons: Array<{ uid: string; name: string; startTimestamp: number; endTimestamp: number; relativeStart: number; relativeEnd: number; campaignId: number; active: boolean }>;
  categories: Array<{ position: number; length: number; name: string }>;
  media: CampaignMedia;
  editionTimestamp: number;
}

/** Live `GET /api/token/club/{clubId}/campaign/{campaignId}` and each entry of `/api/token/club/campaign`. */
export interface ClubCampaign {
  clubDecalUrl: string;
  campaignId: number;
  activityId: number;
  campaign: ClubCampaignDetails;
  popularityLevel: number;
  publicationTimestamp: number;
  creationTimestamp: number;
  creatorAccountId: string;
  latestEditorAccountId: string;
  id: number;
  clubId: number;
  /** With `$` formatting codes. */
  clubName: string;
  name: string;
  mapsCount: number;
  mediaUrl: string;
  mediaUrlPngLarge: string;
  mediaUrlPngMedium: string;
  mediaUrlPngSmall: string;
  mediaUrlDds: string;
  mediaTheme: string;
}

/** Live `GET /api/token/club/campaign`. */
export interface ClubCampaigns {
  clubCampaignList: ClubCampaign[];
  maxPage: number;
  itemCount: number;
}

/**
 * Live `GET /api/token/club/{clubId}`. The documented answer has some sixty image URL fields (`iconUrlPngLarge`,
 * `decalUrlDds`, `screen16x9Url`...); the common ones are typed, the rest are there as strings.
 */
export interface Club {
  id: number;
  /** With `$` formatting codes. */
  name: string;
  /** With `$` formatting codes. */
  tag: string;
  /** With `$` formatting codes, links (`$l[url]text$l`) included. */
  description: string;
  authorAccountId: string;
  latestEditorAccountId: string;
  iconUrl: string;
  iconUrlPngLarge?: string;
  iconUrlPngMedium?: string;
  iconUrlPngSmall?: string;
  logoUrl: string;
  decalUrl: string;
  backgroundUrl?: string;
  creationTimestamp: number;
  popularityLevel: number;
  /** `public`, `private`... */
  state: string;
  featured: boolean;
  walletUid: string;
  metadata: string;
  editionTimestamp: number;
  verified: boolean;
  /** The other image fields and themes. */
  [field: string]: string | number | boolean | undefined;
}

/** Live `GET /api/token/club`. */
export interface ClubList {
  clubList: Club[];
  maxPage: number;
  clubCount: number;
}

/** A member of a club. */
export interface ClubMember {
  accountId: string;
  clubId: number;
  /** `Creator`, `Admin`, `Content_Creator`, `Member`... */
  role: string;
  creationTimestamp: number;
  vip: boolean;
  moderator: boolean;
  hasFeatured: boolean;
  pin: boolean;
  useTag: boolean;
}

/** Live `GET /api/token/club/{clubId}/member`. */
export interface ClubMembers {
  clubMemberList: ClubMember[];
  maxPage: number;
  itemCount: number;
}

/** Live `GET /api/token/leaderboard/group/{groupUid}/map/{mapUid}/club/{clubId}`. */
export interface PlayerClubRecord {
  groupUid: string;
  mapUid: string;
  /** `null` where Nadeo hides the score (`-1`). */
  score: number | null;
  clubId: number;
  position: number;
}

/** A Core map record. */
export interface MapRecord {
  accountId: string;
  filename: string;
  gameMode: string;
  gameModeCustomData: string;
  mapId: string;
  mapRecordId: string;
  /** 0 none, 1 bronze, 2 silver, 3 gold, 4 author. */
  medal: number;
  recordScore: {
    /** 4294967295 when not counted. */
    respawnCount: number;
    score: number;
    /** Milliseconds; `null` where the author set a secret threshold and Nadeo answers 4294967295. */
    time: number | null;
  };
  removed: boolean;
  scopeId: string | null;
  scopeType: string;
  /** ISO 8601. */
  timestamp: string;
  url: string;
}

/** Core `GET /zones/`: one zone. */
export interface Zone {
  icon: string;
  name: string;
  /** Absent for the world. */
  parentId?: string;
  timestamp: string;
  zoneId: string;
}

/** Core `GET /accounts/zones/`: one player's zone. */
export interface PlayerZone {
  accountId: string;
  timestamp: string;
  zoneId: string;
}

/** A Meet competition. */
export interface Competition {
  id: number;
  liveId: string;
  creator: string;
  name: string;
  participantType: string;
  description: string | null;
  activityId?: number | null;
  clubId?: number | null;
  registrationStart: number | null;
  registrationEnd: number | null;
  startDate: number;
  endDate: number;
  matchesGenerationDate: number | null;
  nbPlayers: number;
  /** A JSON document, as a string. */
  spotStructure: string;
  leaderboardId: number;
  manialink: string | null;
  rulesUrl: string | null;
  streamUrl: string | null;
  websiteUrl: string | null;
  logoUrl: string | null;
  verticalUrl: string | null;
  /** Zone paths such as `World|Europe|Latvia`. */
  allowedZones: string[];
  deletedOn: number | null;
  autoNormalizeSeeds: boolean;
  region: string | null;
  autoGetParticipantSkillLevel: string;
  matchAutoMode: string;
  partition: string;
}

/** A Meet challenge (the qualifier of a cup). */
export interface Challenge {
  id: number;
  uid: string;
  name: string;
  scoreDirection: string;
  startDate: number;
  endDate: number;
  status: string;
  resultsVisibility: string;
  creator: string;
  admins: string[];
  nbServers: number;
  autoScale: boolean;
  nbMaps: number;
  leaderboardId: number;
  deletedOn: number | null;
  leaderboardType: string;
  completeTimeout: number;
}

/** Meet `GET /api/cup-of-the-day/current`. */
export interface CupOfTheDay {
  id: number;
  edition: number;
  competition: Competition;
  challenge: Challenge;
  startDate: number;
  endDate: number;
  deletedOn: number | null;
}

/** One round of a competition. */
export interface CompetitionRound {
  id: number;
  position: number;
  name: string;
  startDate: number;
  endDate: number;
  lockDate: number | null;
  status: string | null;
  isLocked: boolean;
  autoNeedsMatches: boolean;
  matchScoreDirection: string;
  leaderboardComputeType: string;
  teamLeaderboardComputeType: string | null;
  deletedOn: number | null;
  nbMatches: number;
  qualifierChallengeId: number | null;
  trainingChallengeId: number | null;
}

/** One entry of a competition's leaderboard. */
export interface CompetitionResult {
  /** Account id. */
  participant: string;
  rank: number;
  score: number;
  /** Zone path, `World|Europe|Belgium|Liège`. */
  zone: string;
}

/** Meet `GET /api/challenges/{challengeId}/leaderboard`. */
export interface ChallengeLeaderboard {
  challengeId: number;
  cardinal: number;
  scoreUnit: string;
  results: Array<{ points: number; player: string; score: number; rank: number; zone: string }>;
}

/** Meet matchmaking leaderboards (`/leaderboard` and `/leaderboard/players`). */
export interface MatchmakingRanks {
  matchmakingId: number;
  /** Players in the ranking. */
  cardinal: number;
  results: Array<{ player: string; rank: number; score: number }>;
}

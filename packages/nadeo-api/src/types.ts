// Answers of Nadeo's web services, typed from the examples of the community reference (webservices.openplanet.dev).
// Names with `$` formatting codes (maps, clubs) are as Nadeo sends them: render them with `formattingToHtml`.

/** Live `GET /api/token/map/{mapUid}` and each map of `map/get-multiple`. */
export interface LiveMapInfo {
  /** The map UID. */
  uid: string;
  /** The map id (Core's UUID for the map). */
  mapId: string;
  /** With `$` formatting codes. */
  name: string;
  /** Account id of the author. */
  author: string;
  /** Account id of the submitter. */
  submitter: string;
  /** Milliseconds (or points on Stunt maps), as are the other medal fields. */
  authorTime: number;
  /** Gold medal. */
  goldTime: number;
  /** Silver medal. */
  silverTime: number;
  /** Bronze medal. */
  bronzeTime: number;
  /** Laps (0 for a map without laps). */
  nbLaps: number;
  /** Whether the map was validated in its current version. */
  valid: boolean;
  /** Where the map file is. */
  downloadUrl: string;
  /** The thumbnail image. */
  thumbnailUrl: string;
  /** Epoch seconds. */
  uploadTimestamp: number;
  /** Epoch seconds. */
  updateTimestamp: number;
  /** Bytes of the map file, when Nadeo says. */
  fileSize: number | null;
  /** Whether the map is public. */
  public: boolean;
  /** Whether the account has it as a favourite. */
  favorite: boolean;
  /** Whether the map can be played. */
  playable: boolean;
  /** The map style, often empty. */
  mapStyle: string;
  /** `TrackMania\\TM_Race`, `TrackMania\\TM_Stunt`... */
  mapType: string;
  /** The environment (`Stadium`). */
  collectionName: string;
}

/** Live `GET /api/token/map/get-multiple`. */
export interface LiveMapInfoList {
  /** The maps found; unknown UIDs are left out. */
  mapList: LiveMapInfo[];
  /** Entries in all. */
  itemCount: number;
}

/** Core `GET /maps/by-uid/` and `/maps/by-id/`: one map. */
export interface CoreMapInfo {
  /** Account id of the author. */
  author: string;
  /** Author medal (milliseconds, or points). */
  authorScore: number;
  /** Bronze medal. */
  bronzeScore: number;
  /** The environment (`Stadium`). */
  collectionName: string;
  /** Made in the gamepad editor. */
  createdWithGamepadEditor: boolean;
  /** Made in the simple editor. */
  createdWithSimpleEditor: boolean;
  /** Where the map file is. */
  fileUrl: string;
  /** The file name. */
  filename: string;
  /** Gold medal. */
  goldScore: number;
  /** Whether the map has clones (then records need `gameMode: TimeAttackClone`). */
  hasClones: boolean;
  /** Whether the map can be played. */
  isPlayable: boolean;
  /** The map id (Core's UUID for the map). */
  mapId: string;
  /** The map style, often empty. */
  mapStyle: string;
  /** `TrackMania\\TM_Race`, `TrackMania\\TM_Stunt`... */
  mapType: string;
  /** The map UID. */
  mapUid: string;
  /** With `$` formatting codes. */
  name: string;
  /** Silver medal. */
  silverScore: number;
  /** Account id of the submitter. */
  submitter: string;
  /** The thumbnail image. */
  thumbnailUrl: string;
  /** ISO 8601. */
  timestamp: string;
}

/** One record of a Live leaderboard. */
export interface LeaderboardRecord {
  /** The account id. */
  accountId: string;
  /** The zone id. */
  zoneId: string;
  /** The zone name. */
  zoneName: string;
  /** Position (leaderboards from 1, playlists and categories from 0). */
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
  /** The zone id. */
  zoneId: string;
  /** The zone name. */
  zoneName: string;
  /** The records, best first. */
  top: LeaderboardRecord[];
}

/** Live leaderboard `top` and `surround` answers. */
export interface Leaderboard {
  /** `Personal_Best` or a season UID. */
  groupUid: string;
  /** The map UID. */
  mapUid: string;
  /** One leaderboard per zone (the world only with `onlyWorld`). */
  tops: LeaderboardZone[];
}

/** Live `POST /api/token/leaderboard/group/map?scores[...]`: the position a score would have, per map. */
export interface PositionByTime {
  /** `Personal_Best` or a season UID. */
  groupUid: string;
  /** The map UID. */
  mapUid: string;
  /** Milliseconds (or points). */
  score: number;
  /** The position per zone. */
  zones: Array<{
    /** The zone id. */
    zoneId: string;
    /** The zone name. */
    zoneName: string;
    /** Where the score would rank in the zone. */
    ranking: {
      /** The position the score would have, from 1. */
      position: number;
      /** 0 in Nadeo's answers. */
      length: number;
    };
  }>;
}

/** One Track of the Day (or Royal map). */
export interface TrackOfTheDay {
  /** The campaign id. */
  campaignId: number;
  /** The map UID. */
  mapUid: string;
  /** Day of the week, 0 = Monday. */
  day: number;
  /** Day of the month, or -1. */
  monthDay: number;
  /** The season UID (its leaderboard group). */
  seasonUid: string;
  /** The leaderboard group, or `null` (the season UID is used). */
  leaderboardGroup: string | null;
  /** Epoch seconds. */
  startTimestamp: number;
  /** Epoch seconds (0: no end). */
  endTimestamp: number;
  /** Seconds from the answer's time to the start (negative: past). */
  relativeStart: number;
  /** Seconds from the answer's time to the end. */
  relativeEnd: number;
}

/** Images of a campaign or a month (URLs, often empty). */
export interface CampaignMedia {
  /** Image URL (often empty). */
  buttonBackgroundUrl: string;
  /** Image URL. */
  buttonForegroundUrl: string;
  /** Image URL. */
  decalUrl: string;
  /** Image URL. */
  popUpBackgroundUrl: string;
  /** Image URL. */
  popUpImageUrl: string;
  /** Image URL. */
  liveButtonBackgroundUrl: string;
  /** Image URL. */
  liveButtonForegroundUrl: string;
}

/** Live `GET /api/token/campaign/month`. */
export interface TrackOfTheDayMonths {
  /** Months, newest first. */
  monthList: Array<{
    /** The year, such as 2026. */
    year: number;
    /** The month, 1 to 12. */
    month: number;
    /** The month's last day (28 to 31). */
    lastDay: number;
    /** Its Tracks of the Day, first day first. */
    days: TrackOfTheDay[];
    /** The month's images. */
    media: CampaignMedia;
  }>;
  /** Entries in all. */
  itemCount: number;
  /** Epoch seconds; `-1` when the next one is not scheduled yet. */
  nextRequestTimestamp: number;
  /** Seconds until the list changes next. */
  relativeNextRequest: number;
}

/** A map of a campaign's playlist. */
export interface PlaylistMap {
  /** The id. */
  id: number;
  /** Position (leaderboards from 1, playlists and categories from 0). */
  position: number;
  /** The map UID. */
  mapUid: string;
}

/** An official campaign (seasonal or weekly shorts). */
export interface OfficialCampaign {
  /** The id. */
  id: number;
  /** The season UID (its leaderboard group). */
  seasonUid: string;
  /** The name. */
  name: string;
  /** 0 seasonal, 2 club, 5 weekly shorts... */
  useCase: number;
  /** The club id (0 for an official campaign). */
  clubId: number;
  /** Epoch seconds. */
  startTimestamp: number;
  /** Epoch seconds (0: no end). */
  endTimestamp: number;
  /** Epoch seconds when rankings were sent, or `null`. */
  rankingSentTimestamp: number | null;
  /** Year, or -1. */
  year: number;
  /** Week, or -1. */
  week: number;
  /** Day, or -1. */
  day: number;
  /** -1 for these campaigns. */
  monthYear: number;
  /** Month, or -1. */
  month: number;
  /** Day of the month, or -1. */
  monthDay: number;
  /** The maps, in order. */
  playlist: PlaylistMap[];
  /** Epoch seconds of the last edit. */
  editionTimestamp: number;
}

/** Live `GET /api/campaign/official` and `/api/campaign/weekly-shorts`. */
export interface OfficialCampaigns {
  /** Entries in all. */
  itemCount: number;
  /** Campaigns, newest first. */
  campaignList: OfficialCampaign[];
  /** Epoch seconds when the list changes next. */
  nextRequestTimestamp: number;
  /** Seconds until the list changes next. */
  relativeNextRequest: number;
}

/** A club campaign's own description. */
export interface ClubCampaignDetails extends Omit<OfficialCampaign, 'editionTimestamp'> {
  /** A colour, often empty. */
  color: string;
  /** The campaign's leaderboard group. */
  leaderboardGroupUid: string;
  /** Epoch seconds. */
  publicationTimestamp: number;
  /** Whether it is published. */
  published: boolean;
  /** Its seasons, latest first. */
  latestSeasons: Array<{
    /** The season UID (its leaderboard group). */
    uid: string;
    /** The season's name. */
    name: string;
    /** Epoch seconds. */
    startTimestamp: number;
    /** Epoch seconds (0: no end). */
    endTimestamp: number;
    /** Seconds from the answer's time to the start (negative: past). */
    relativeStart: number;
    /** Seconds from the answer's time to the end. */
    relativeEnd: number;
    /** The campaign id. */
    campaignId: number;
    /** Whether the season is running. */
    active: boolean;
  }>;
  /** Groups of maps of the playlist. */
  categories: Array<{
    /** The playlist position of the group's first map, from 0. */
    position: number;
    /** How many maps the group has. */
    length: number;
    /** The group's name. */
    name: string;
  }>;
  /** Its images. */
  media: CampaignMedia;
  /** Epoch seconds of the last edit. */
  editionTimestamp: number;
}

/** Live `GET /api/token/club/{clubId}/campaign/{campaignId}` and each entry of `/api/token/club/campaign`. */
export interface ClubCampaign {
  /** The club's decal (often empty). */
  clubDecalUrl: string;
  /** The campaign id. */
  campaignId: number;
  /** The club activity id. */
  activityId: number;
  /** The campaign itself. */
  campaign: ClubCampaignDetails;
  /** 0 to 3. */
  popularityLevel: number;
  /** Epoch seconds. */
  publicationTimestamp: number;
  /** Epoch seconds. */
  creationTimestamp: number;
  /** Account id of its creator. */
  creatorAccountId: string;
  /** Account id of its last editor. */
  latestEditorAccountId: string;
  /** The id. */
  id: number;
  /** The club id (0 for an official campaign). */
  clubId: number;
  /** With `$` formatting codes. */
  clubName: string;
  /** The name. */
  name: string;
  /** Maps in the playlist. */
  mapsCount: number;
  /** Image URL (.dds). */
  mediaUrl: string;
  /** Image URL (.png). */
  mediaUrlPngLarge: string;
  /** Image URL (.png). */
  mediaUrlPngMedium: string;
  /** Image URL (.png). */
  mediaUrlPngSmall: string;
  /** Image URL (.dds). */
  mediaUrlDds: string;
  /** Often empty. */
  mediaTheme: string;
}

/** Live `GET /api/token/club/campaign`. */
export interface ClubCampaigns {
  /** The campaigns of this page. */
  clubCampaignList: ClubCampaign[];
  /** Pages of this size. */
  maxPage: number;
  /** Entries in all. */
  itemCount: number;
}

/**
 * Live `GET /api/token/club/{clubId}`. The documented answer has some sixty image URL fields (`iconUrlPngLarge`,
 * `decalUrlDds`, `screen16x9Url`...); the common ones are typed, the rest are there as strings.
 */
export interface Club {
  /** The id. */
  id: number;
  /** With `$` formatting codes. */
  name: string;
  /** With `$` formatting codes. */
  tag: string;
  /** With `$` formatting codes, links (`$l[url]text$l`) included. */
  description: string;
  /** Account id of the club's creator. */
  authorAccountId: string;
  /** Account id of its last editor. */
  latestEditorAccountId: string;
  /** Icon (.dds). */
  iconUrl: string;
  /** Icon (.png). */
  iconUrlPngLarge?: string;
  /** Icon (.png). */
  iconUrlPngMedium?: string;
  /** Icon (.png). */
  iconUrlPngSmall?: string;
  /** Often empty. */
  logoUrl: string;
  /** Image URL. */
  decalUrl: string;
  /** Background (.dds). */
  backgroundUrl?: string;
  /** Epoch seconds. */
  creationTimestamp: number;
  /** 0 to 3. */
  popularityLevel: number;
  /** `public`, `private`... */
  state: string;
  /** Featured by Nadeo. */
  featured: boolean;
  /** The club's wallet. */
  walletUid: string;
  /** Often empty. */
  metadata: string;
  /** Epoch seconds of the last edit. */
  editionTimestamp: number;
  /** Verified by Nadeo. */
  verified: boolean;
  /** The other image fields and themes. */
  [field: string]: string | number | boolean | undefined;
}

/** Live `GET /api/token/club`. */
export interface ClubList {
  /** The clubs of this page. */
  clubList: Club[];
  /** Pages of this size. */
  maxPage: number;
  /** Clubs in all. */
  clubCount: number;
}

/** A member of a club. */
export interface ClubMember {
  /** The account id. */
  accountId: string;
  /** The club id (0 for an official campaign). */
  clubId: number;
  /** `Creator`, `Admin`, `Content_Creator`, `Member`... */
  role: string;
  /** Epoch seconds. */
  creationTimestamp: number;
  /** VIP in the club. */
  vip: boolean;
  /** Moderator of the club. */
  moderator: boolean;
  /** Has featured the club. */
  hasFeatured: boolean;
  /** Has pinned the club. */
  pin: boolean;
  /** Wears the club's tag. */
  useTag: boolean;
}

/** Live `GET /api/token/club/{clubId}/member`. */
export interface ClubMembers {
  /** The members of this page. */
  clubMemberList: ClubMember[];
  /** Pages of this size. */
  maxPage: number;
  /** Entries in all. */
  itemCount: number;
}

/** Live `GET /api/token/leaderboard/group/{groupUid}/map/{mapUid}/club/{clubId}`. */
export interface PlayerClubRecord {
  /** `Personal_Best` or a season UID. */
  groupUid: string;
  /** The map UID. */
  mapUid: string;
  /** `null` where Nadeo hides the score (`-1`). */
  score: number | null;
  /** The club id (0 for an official campaign). */
  clubId: number;
  /** Position (leaderboards from 1, playlists and categories from 0). */
  position: number;
}

/** A Core map record. */
export interface MapRecord {
  /** The account id. */
  accountId: string;
  /** The file name. */
  filename: string;
  /** `TimeAttack`, `Stunt`, `Platform`... */
  gameMode: string;
  /** Often empty. */
  gameModeCustomData: string;
  /** The map id (Core's UUID for the map). */
  mapId: string;
  /** The record's id. */
  mapRecordId: string;
  /** 0 none, 1 bronze, 2 silver, 3 gold, 4 author. */
  medal: number;
  /** The score. */
  recordScore: {
    /** 4294967295 when not counted. */
    respawnCount: number;
    /** Milliseconds (or points). */
    score: number;
    /** Milliseconds; `null` where the author set a secret threshold and Nadeo answers 4294967295. */
    time: number | null;
  };
  /** Whether the record was removed. */
  removed: boolean;
  /** The season id, `null` for personal bests. */
  scopeId: string | null;
  /** `PersonalBest` or `Season`. */
  scopeType: string;
  /** ISO 8601. */
  timestamp: string;
  /** The replay. */
  url: string;
}

/** Core `GET /zones/`: one zone. */
export interface Zone {
  /** The flag image. */
  icon: string;
  /** The name. */
  name: string;
  /** Absent for the world. */
  parentId?: string;
  /** ISO 8601. */
  timestamp: string;
  /** The zone id. */
  zoneId: string;
}

/** Core `GET /accounts/zones/`: one player's zone. */
export interface PlayerZone {
  /** The account id. */
  accountId: string;
  /** ISO 8601. */
  timestamp: string;
  /** The zone id. */
  zoneId: string;
}

/** A Meet competition. */
export interface Competition {
  /** The id. */
  id: number;
  /** The `LID-COMP-...` id. */
  liveId: string;
  /** Account id of its creator. */
  creator: string;
  /** The name. */
  name: string;
  /** `PLAYER` or `TEAM`. */
  participantType: string;
  /** With `$` formatting codes, or `null`. */
  description: string | null;
  /** The club activity id. */
  activityId?: number | null;
  /** The club id (0 for an official campaign). */
  clubId?: number | null;
  /** Epoch seconds, or `null`. */
  registrationStart: number | null;
  /** Epoch seconds, or `null`. */
  registrationEnd: number | null;
  /** Epoch seconds. */
  startDate: number;
  /** Epoch seconds. */
  endDate: number;
  /** Epoch seconds, or `null`. */
  matchesGenerationDate: number | null;
  /** Players registered. */
  nbPlayers: number;
  /** A JSON document, as a string. */
  spotStructure: string;
  /** Its leaderboard. */
  leaderboardId: number;
  /** A manialink, or `null`. */
  manialink: string | null;
  /** URL, or `null`. */
  rulesUrl: string | null;
  /** URL, or `null`. */
  streamUrl: string | null;
  /** URL, or `null`. */
  websiteUrl: string | null;
  /** Often empty. */
  logoUrl: string | null;
  /** URL, or `null`. */
  verticalUrl: string | null;
  /** Zone paths such as `World|Europe|Latvia`. */
  allowedZones: string[];
  /** Epoch seconds, or `null`. */
  deletedOn: number | null;
  /** Seeds normalised. */
  autoNormalizeSeeds: boolean;
  /** The server region, or `null`. */
  region: string | null;
  /** `DISABLED`... */
  autoGetParticipantSkillLevel: string;
  /** `ENABLED`, `START`... */
  matchAutoMode: string;
  /** `crossplay`... */
  partition: string;
}

/** A Meet challenge (the qualifier of a cup). */
export interface Challenge {
  /** The id. */
  id: number;
  /** The map UID. */
  uid: string;
  /** The name. */
  name: string;
  /** `ASC` or `DESC`. */
  scoreDirection: string;
  /** Epoch seconds. */
  startDate: number;
  /** Epoch seconds. */
  endDate: number;
  /** Its status. */
  status: string;
  /** `PUBLIC`... */
  resultsVisibility: string;
  /** Account id of its creator. */
  creator: string;
  /** Account ids of its admins. */
  admins: string[];
  /** Servers. */
  nbServers: number;
  /** Servers scale on demand. */
  autoScale: boolean;
  /** Maps. */
  nbMaps: number;
  /** Its leaderboard. */
  leaderboardId: number;
  /** Epoch seconds, or `null`. */
  deletedOn: number | null;
  /** `SUM`... */
  leaderboardType: string;
  /** Seconds. */
  completeTimeout: number;
}

/** Meet `GET /api/cup-of-the-day/current`. */
export interface CupOfTheDay {
  /** The id. */
  id: number;
  /** The cup of the day's edition (1, 2, 3). */
  edition: number;
  /** The competition. */
  competition: Competition;
  /** The qualifier. */
  challenge: Challenge;
  /** Epoch seconds. */
  startDate: number;
  /** Epoch seconds. */
  endDate: number;
  /** Epoch seconds, or `null`. */
  deletedOn: number | null;
}

/** One round of a competition. */
export interface CompetitionRound {
  /** The id. */
  id: number;
  /** Position (leaderboards from 1, playlists and categories from 0). */
  position: number;
  /** The name. */
  name: string;
  /** Epoch seconds. */
  startDate: number;
  /** Epoch seconds. */
  endDate: number;
  /** Epoch seconds, or `null`. */
  lockDate: number | null;
  /** Its status. */
  status: string | null;
  /** Locked. */
  isLocked: boolean;
  /** Matches made automatically. */
  autoNeedsMatches: boolean;
  /** `ASC` or `DESC`. */
  matchScoreDirection: string;
  /** `BRACKET`, `SUM`... */
  leaderboardComputeType: string;
  /** Or `null`. */
  teamLeaderboardComputeType: string | null;
  /** Epoch seconds, or `null`. */
  deletedOn: number | null;
  /** Matches. */
  nbMatches: number;
  /** The qualifier challenge, or `null`. */
  qualifierChallengeId: number | null;
  /** Or `null`. */
  trainingChallengeId: number | null;
}

/** One entry of a competition's leaderboard. */
export interface CompetitionResult {
  /** Account id. */
  participant: string;
  /** Rank, from 1. */
  rank: number;
  /** Milliseconds (or points). */
  score: number;
  /** Zone path, `World|Europe|Belgium|Liège`. */
  zone: string;
}

/** Meet `GET /api/challenges/{challengeId}/leaderboard`. */
export interface ChallengeLeaderboard {
  /** The challenge id. */
  challengeId: number;
  /** Entries in all. */
  cardinal: number;
  /** `time` or `points`. */
  scoreUnit: string;
  /** The entries of this page. */
  results: Array<{
    /** Points (the same as `score` when the unit is `time`). */
    points: number;
    /** Account id. */
    player: string;
    /** Milliseconds (or points). */
    score: number;
    /** Rank, from 1. */
    rank: number;
    /** Zone path, `World|Europe|Belgium|Liège`. */
    zone: string;
  }>;
}

/** Meet matchmaking leaderboards (`/leaderboard` and `/leaderboard/players`). */
export interface MatchmakingRanks {
  /** The matchmaking type. */
  matchmakingId: number;
  /** Players in the ranking. */
  cardinal: number;
  /** The entries of this page. */
  results: Array<{
    /** Account id. */
    player: string;
    /** Rank, from 1. */
    rank: number;
    /** Matchmaking points. */
    score: number;
  }>;
}

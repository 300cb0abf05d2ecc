// What the Nadeo emulator serves: sample data in the shapes of the community reference's examples
// (webservices.openplanet.dev), and deterministic generators for leaderboards, records and ranks, so that any
// number of lookups has answers without storing them.
import { createHash } from 'node:crypto';

/** A map served by the Live and Core emulators. */
export interface NadeoMap {
  /** The map's UID, the id in its file (`mapUid` in Nadeo's answers). */
  uid: string;
  /** The map's id in Nadeo's services (a UUID). */
  mapId: string;
  /** With `$` formatting codes. */
  name: string;
  /** The author's account id. */
  author: string;
  /** Default: the author. */
  submitter?: string;
  /** Milliseconds. Default derived from the UID. */
  authorTime?: number;
  /** Records on its leaderboard. Default 20000. */
  records?: number;
  /** The author set a secret threshold: the best scores are hidden (`-1` on Live, 4294967295 on Core). */
  secretThreshold?: boolean;
}

/** A zone of Core's zone tree. */
export interface NadeoZone {
  /** The zone's id (a UUID). */
  zoneId: string;
  /** The zone's name, such as `Europe`. */
  name: string;
  /** Absent for the world. */
  parentId?: string;
  /** The zone's flag, a game file path such as `file://Media/Flags/EUR.dds`. */
  icon: string;
}

/** A club served by the Live emulator. */
export interface NadeoClub {
  /** The club's numeric id. */
  id: number;
  /** With `$` formatting codes. */
  name: string;
  /** The club's tag, shown before its members' names. */
  tag: string;
  /** The club's description. */
  description: string;
  /** The account id of the club's creator. */
  authorAccountId: string;
  /** Member account ids; the first is the creator. */
  members: string[];
  /** Whether anyone may join. Default `public`. */
  state?: 'public' | 'private';
}

/** A number from 0 to 2^32 - 1 derived from a text: the generators' only source of variety. */
export function hashNumber(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A UUID derived from a text. */
export function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A 27-character map UID derived from a number. */
export function mapUidFrom(n: number): string {
  return createHash('sha256').update(`map-${n}`).digest('base64url').slice(0, 27);
}

export const WORLD_ZONE_ID = '301e1b69-7e13-11e8-8060-e284abfd2bc4';
const ZONE_TIMESTAMP = '2022-11-14T11:19:00+00:00';

/** A small zone tree from the world down to cities, with Nadeo's ids where the reference shows them. */
export const SAMPLE_ZONES: NadeoZone[] = [
  { zoneId: WORLD_ZONE_ID, name: 'World', icon: 'file://Media/Flags/WOR.dds' },
  { zoneId: '301e2106-7e13-11e8-8060-e284abfd2bc4', name: 'Europe', parentId: WORLD_ZONE_ID, icon: 'file://Media/Flags/EUR.dds' },
  { zoneId: '301e4d4a-7e13-11e8-8060-e284abfd2bc4', name: 'North America', parentId: WORLD_ZONE_ID, icon: 'file://Media/Flags/NAM.dds' },
  { zoneId: '301fbe8e-7e13-11e8-8060-e284abfd2bc4', name: 'France', parentId: '301e2106-7e13-11e8-8060-e284abfd2bc4', icon: 'file://Media/Flags/FRA.dds' },
  { zoneId: '301fbe37-7e13-11e8-8060-e284abfd2bc4', name: 'Corrèze', parentId: '301fbe8e-7e13-11e8-8060-e284abfd2bc4', icon: 'file://Media/Flags/Correze.jpg' },
  { zoneId: '301ff70e-7e13-11e8-8060-e284abfd2bc4', name: 'Germany', parentId: '301e2106-7e13-11e8-8060-e284abfd2bc4', icon: 'file://Media/Flags/GER.dds' },
  {
    zoneId: '301ff90f-7e13-11e8-8060-e284abfd2bc4',
    name: 'Stuttgart',
    parentId: '301ff70e-7e13-11e8-8060-e284abfd2bc4',
    icon: 'file://Media/Flags/Stuttgart.jpg',
  },
  {
    zoneId: '301ffccb-7e13-11e8-8060-e284abfd2bc4',
    name: 'Nürnberg',
    parentId: '301ff70e-7e13-11e8-8060-e284abfd2bc4',
    icon: 'file://Media/Flags/Nurnberg.jpg',
  },
  { zoneId: '30228671-7e13-11e8-8060-e284abfd2bc4', name: 'Sweden', parentId: '301e2106-7e13-11e8-8060-e284abfd2bc4', icon: 'file://Media/Flags/SWE.dds' },
  { zoneId: '3022a07d-7e13-11e8-8060-e284abfd2bc4', name: 'Ukraine', parentId: '301e2106-7e13-11e8-8060-e284abfd2bc4', icon: 'file://Media/Flags/UKR.dds' },
  { zoneId: '30209bf3-7e13-11e8-8060-e284abfd2bc4', name: 'Quebec', parentId: '301e4d4a-7e13-11e8-8060-e284abfd2bc4', icon: 'file://Media/Flags/Quebec.jpg' },
];
const LEAF_ZONES = SAMPLE_ZONES.filter((z) => !SAMPLE_ZONES.some((c) => c.parentId === z.zoneId));

/** Core `/zones/` entry. */
export function zoneJson(zone: NadeoZone): Record<string, unknown> {
  const json: Record<string, unknown> = { icon: zone.icon, name: zone.name, timestamp: ZONE_TIMESTAMP, zoneId: zone.zoneId };
  if (zone.parentId) json.parentId = zone.parentId;
  return json;
}

/** The zone a player is in: a city or region, the same for an account every time. */
export function zoneOf(accountId: string): NadeoZone {
  return LEAF_ZONES[hashNumber(`zone-${accountId}`) % LEAF_ZONES.length]!;
}

/** The maps of the reference's examples, with their names in `$` codes, and the emulator's long-standing sample. */
export const SAMPLE_MAPS: NadeoMap[] = [
  {
    uid: 'olsKnq_qAghcVAnEkoeUnVHFZei',
    mapId: '0b2e7e4e-2c1b-4f9e-9d65-8e2a3c0f1d01',
    name: 'Summer 2024 - 01',
    author: 'd2372a08-a8a1-46cb-97fb-23a161d85ad0',
    authorTime: 23483,
  },
  {
    uid: 'YewzuEnjmnh_ShMW1cX0puuZHcf',
    mapId: '17d72086-de9c-406b-8f8f-364e41d3e3bf',
    name: '$009L$00Aa$00Bs$00Ct $063O$073u$072t$082p$081o$091s$090t$fff ft Agrabou',
    author: '78332411-010f-4d61-84d8-0db1d6b5f8c0',
    submitter: '5f9c2a43-593f-4e84-a64d-82319058dd3a',
    authorTime: 45900,
  },
  {
    uid: 'cmJJhEUYqesM6Tqpeds0lQudvOb',
    mapId: 'a74716be-d124-4de1-87c2-834304ccef5b',
    name: '$i$a1bLaserhawk $fff- Megacity Race',
    author: '73eba009-a074-4439-916f-d25d7fa7bc1c',
    submitter: '7ad33388-641e-4497-b063-c88e75552645',
    authorTime: 102399,
  },
  {
    uid: 'k45jQI6Y7XrPfe1T0hZhj4pKzY2',
    mapId: '5546883f-b1ed-49e0-9397-55fc46f1d00c',
    name: 'SnowIsBack',
    author: '7cd60a75-609a-4e64-b286-16f329878249',
    authorTime: 26972,
  },
  {
    uid: 'ZJw6_4CItmVlRMPgELl4Q37Utw2',
    mapId: '11f05603-58f4-4289-b643-d88e4d757015',
    name: '$s$f80Secret $fffThreshold',
    author: '7cd60a75-609a-4e64-b286-16f329878249',
    authorTime: 53000,
    secretThreshold: true,
  },
];

/** Three hex digits of a light colour (each 8 to f), readable on the dark background names are made for. */
const brightColour = (n: number): string => [n, n >> 3, n >> 6].map((v) => (8 + (v & 7)).toString(16)).join('');

/** `count` generated maps, `Emulated map N` with a colour, for tests and benchmarks that look up many. */
export function generatedMaps(count: number): NadeoMap[] {
  return Array.from({ length: count }, (_, i) => ({
    uid: mapUidFrom(i),
    mapId: uuidFrom(`map-id-${i}`),
    name: `$${brightColour(hashNumber(`colour-${i}`))}Emulated $fffmap ${i + 1}`,
    author: uuidFrom(`author-${i % 50}`),
  }));
}

const authorTimeOf = (map: NadeoMap): number => map.authorTime ?? 20_000 + (hashNumber(map.uid) % 60_000);
const medal = (time: number, factor: number, step: number): number => Math.ceil((time * factor) / step) * step;
const storage = (id: string, ext = '') => `https://prod.trackmania.core.nadeo.online/storageObjects/${id}${ext}`;

/** Live `map/get-multiple` and `map/{uid}` shape. */
export function liveMapJson(map: NadeoMap): Record<string, unknown> {
  const time = authorTimeOf(map);
  return {
    uid: map.uid,
    mapId: map.mapId,
    name: map.name,
    author: map.author,
    submitter: map.submitter ?? map.author,
    authorTime: time,
    goldTime: medal(time, 1.06, 1000),
    silverTime: medal(time, 1.2, 1000),
    bronzeTime: medal(time, 1.5, 1000),
    nbLaps: 0,
    valid: false,
    downloadUrl: storage(uuidFrom(`file-${map.uid}`)),
    thumbnailUrl: storage(uuidFrom(`thumb-${map.uid}`), '.jpg'),
    uploadTimestamp: 1658695534,
    updateTimestamp: 1661191160,
    fileSize: null,
    public: false,
    favorite: false,
    playable: true,
    mapStyle: '',
    mapType: 'TrackMania\\TM_Race',
    collectionName: 'Stadium',
  };
}

/** Core `/maps/by-uid/` and `/maps/by-id/` shape. */
export function coreMapJson(map: NadeoMap): Record<string, unknown> {
  const time = authorTimeOf(map);
  return {
    author: map.author,
    authorScore: time,
    bronzeScore: medal(time, 1.5, 1000),
    collectionName: 'Stadium',
    createdWithGamepadEditor: false,
    createdWithSimpleEditor: false,
    fileUrl: `https://core.trackmania.nadeo.live/maps/${map.mapId}/file`,
    filename: `${map.uid}.Map.Gbx`,
    goldScore: medal(time, 1.06, 1000),
    hasClones: false,
    isPlayable: true,
    mapId: map.mapId,
    mapStyle: '',
    mapType: 'TrackMania\\TM_Race',
    mapUid: map.uid,
    name: map.name,
    silverScore: medal(time, 1.2, 1000),
    submitter: map.submitter ?? map.author,
    thumbnailUrl: `https://core.trackmania.nadeo.live/maps/${map.mapId}/thumbnail.jpg`,
    timestamp: '2023-11-21T16:50:01+00:00',
  };
}

/** The account holding a position on a map's leaderboard. */
export function accountAt(map: NadeoMap, position: number): string {
  return uuidFrom(`record-${map.uid}-${position}`);
}

/** The score at a position: the author time plus a little per position (`-1` where the map hides the best). */
export function scoreAt(map: NadeoMap, position: number): number {
  return authorTimeOf(map) + position * 7;
}

/** A Live leaderboard entry. */
export function leaderboardEntry(map: NadeoMap, position: number, withTimestamp: boolean): Record<string, unknown> {
  const accountId = accountAt(map, position);
  const zone = zoneOf(accountId);
  const entry: Record<string, unknown> = {
    accountId,
    zoneId: zone.zoneId,
    zoneName: zone.name,
    position,
    score: map.secretThreshold && position <= 3 ? -1 : scoreAt(map, position),
  };
  if (withTimestamp) entry.timestamp = 1658700000 + (hashNumber(`${map.uid}-${position}`) % 10_000_000);
  return entry;
}

/** A Core map record of an account on a map (every account has one on every map of the emulator). */
export function mapRecordJson(
  map: NadeoMap,
  accountId: string,
  scope: { scopeId: string | null; scopeType: string } = { scopeId: null, scopeType: 'PersonalBest' },
): Record<string, unknown> {
  const time = authorTimeOf(map) + (hashNumber(`${map.uid}-${accountId}`) % 20_000);
  const mapRecordId = uuidFrom(`map-record-${map.mapId}-${accountId}`);
  return {
    accountId,
    filename: `Replays\\Downloaded\\${map.mapId}_${accountId}_(${time}).replay.gbx`,
    gameMode: 'TimeAttack',
    gameModeCustomData: '',
    mapId: map.mapId,
    mapRecordId,
    medal: time <= authorTimeOf(map) ? 4 : 3,
    recordScore: { respawnCount: 4294967295, score: 0, time: map.secretThreshold ? 4294967295 : time },
    removed: false,
    scopeId: scope.scopeId,
    scopeType: scope.scopeType,
    timestamp: '2024-07-28T15:09:27+00:00',
    url: `https://core.trackmania.nadeo.live/mapRecords/${mapRecordId}/replay`,
  };
}

/** Clubs of the reference's examples. */
export const SAMPLE_CLUBS: NadeoClub[] = [
  {
    id: 9,
    name: '$s$f39Openplanet $fff',
    tag: '$N $Z$S$F39$N $S',
    description: '$l[https://openplanet.dev]Openplanet.dev$l and $l[https://trackmania.io]Trackmania.io$l',
    authorAccountId: '7398eeb6-9b4e-44b8-a7a1-a2149955ac70',
    members: ['7398eeb6-9b4e-44b8-a7a1-a2149955ac70', 'a13831d2-5386-467b-bc65-264694dcaa4d', 'b73665ce-d3b4-4cb4-ac45-8f9a57ddaa1e'],
  },
  {
    id: 25,
    name: '$s$fffTM $6F9Exchange',
    tag: '$S$FFFT$6F9MX$Z',
    description: 'Visit $l[https://trackmania.exchange/]TMX$l. The community run map sharing site for Trackmania.',
    authorAccountId: 'a07f01cd-afb0-4230-9c13-868c1ede28a3',
    members: ['a07f01cd-afb0-4230-9c13-868c1ede28a3'],
  },
  {
    id: 150,
    name: 'UBISOFT NADEO',
    tag: 'NADEO',
    description: 'The official club.',
    authorAccountId: '7cd60a75-609a-4e64-b286-16f329878249',
    members: ['7cd60a75-609a-4e64-b286-16f329878249'],
  },
  {
    id: 383,
    name: 'World Tour',
    tag: 'TMWT',
    description: 'Welcome to the Trackmania World Tour Club!',
    authorAccountId: '7cd60a75-609a-4e64-b286-16f329878249',
    members: ['7cd60a75-609a-4e64-b286-16f329878249'],
  },
];

const MEDIA = 'https://trackmania-prod-media-s3.cdn.ubi.com/media/image/live-api';
const IMAGE_FIELDS = ['icon', 'decal', 'screen16x9', 'screen64x41', 'decalSponsor4x1', 'screen8x1', 'screen16x1', 'vertical'];
const THEMED = ['icon', 'decal', 'screen16x9', 'screen64x41', 'screen8x1', 'screen16x1', 'vertical', 'background'];

/** Live `/api/token/club/{id}` shape, its sixty image fields included. */
export function clubJson(club: NadeoClub): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: club.id,
    name: club.name,
    tag: club.tag,
    description: club.description,
    authorAccountId: club.authorAccountId,
    latestEditorAccountId: club.authorAccountId,
  };
  for (const field of IMAGE_FIELDS) {
    const id = uuidFrom(`${field}-${club.id}`);
    json[`${field}Url`] = `${MEDIA}/${id}/dds/game.dds?timestamp=1705446531.dds`;
    for (const size of ['Large', 'Medium', 'Small']) json[`${field}UrlPng${size}`] = `${MEDIA}/${id}/png/${size.toLowerCase()}.png?timestamp=1705446531.png`;
    json[`${field}UrlDds`] = `${MEDIA}/${id}/dds/game.dds?timestamp=1705446531.dds`;
    if (field === 'icon') json.logoUrl = '';
  }
  const background = uuidFrom(`background-${club.id}`);
  json.backgroundUrl = `${MEDIA}/${background}/dds/game.dds?timestamp=1705516513.dds`;
  for (const size of ['Large', 'Medium', 'Small'])
    json[`backgroundUrlJpg${size}`] = `${MEDIA}/${background}/jpg/${size.toLowerCase()}.jpg?timestamp=1705516513.jpg`;
  json.backgroundUrlDds = json.backgroundUrl;
  Object.assign(json, {
    creationTimestamp: 1591385606,
    popularityLevel: 1,
    state: club.state ?? 'public',
    featured: true,
    walletUid: uuidFrom(`wallet-${club.id}`),
    metadata: '',
    editionTimestamp: 1680626020,
  });
  for (const field of THEMED) json[`${field}Theme`] = '';
  json.verified = true;
  return json;
}

/** Live club member shape. */
export function clubMemberJson(club: NadeoClub, accountId: string, index: number): Record<string, unknown> {
  return {
    accountId,
    clubId: club.id,
    role: index === 0 ? 'Creator' : 'Member',
    creationTimestamp: 1591385606 + index * 1000,
    vip: index === 0,
    moderator: false,
    hasFeatured: false,
    pin: false,
    useTag: false,
  };
}

const EMPTY_MEDIA = {
  buttonBackgroundUrl: '',
  buttonForegroundUrl: '',
  decalUrl: '',
  popUpBackgroundUrl: '',
  popUpImageUrl: '',
  liveButtonBackgroundUrl: '',
  liveButtonForegroundUrl: '',
};

/** A playlist of maps in a campaign. */
export function playlist(maps: NadeoMap[], seed: number): Array<Record<string, unknown>> {
  return maps.map((m, position) => ({ id: seed * 100 + position, position, mapUid: m.uid }));
}

/** A club campaign of a club, in Live's shape. */
export function clubCampaignJson(club: NadeoClub, campaignId: number, name: string, maps: NadeoMap[]): Record<string, unknown> {
  const seasonUid = `NLS-${uuidFrom(`season-${campaignId}`).replace(/-/g, '').slice(0, 35)}`;
  const mediaId = uuidFrom(`campaign-media-${campaignId}`);
  return {
    clubDecalUrl: '',
    campaignId,
    activityId: campaignId * 10,
    campaign: {
      id: campaignId,
      seasonUid,
      name,
      color: '',
      useCase: 2,
      clubId: club.id,
      leaderboardGroupUid: seasonUid,
      publicationTimestamp: 1700585401,
      startTimestamp: 1700585401,
      endTimestamp: 0,
      rankingSentTimestamp: null,
      year: -1,
      week: -1,
      day: -1,
      monthYear: -1,
      month: -1,
      monthDay: -1,
      published: true,
      playlist: playlist(maps, campaignId),
      latestSeasons: [{ uid: seasonUid, name, startTimestamp: 1700585401, endTimestamp: 0, relativeStart: -5019174, relativeEnd: 0, campaignId, active: true }],
      categories: [{ position: 0, length: maps.length, name }],
      media: EMPTY_MEDIA,
      editionTimestamp: 1700585964,
    },
    popularityLevel: 3,
    publicationTimestamp: 1700585401,
    creationTimestamp: 1700585401,
    creatorAccountId: club.authorAccountId,
    latestEditorAccountId: club.authorAccountId,
    id: campaignId * 10,
    clubId: club.id,
    clubName: club.name,
    name,
    mapsCount: maps.length,
    mediaUrl: `${MEDIA}/${mediaId}/dds/game.dds?timestamp=1705439396.dds`,
    mediaUrlPngLarge: `${MEDIA}/${mediaId}/png/large.png?timestamp=1705439396.png`,
    mediaUrlPngMedium: `${MEDIA}/${mediaId}/png/medium.png?timestamp=1705439396.png`,
    mediaUrlPngSmall: `${MEDIA}/${mediaId}/png/small.png?timestamp=1705439396.png`,
    mediaUrlDds: `${MEDIA}/${mediaId}/dds/game.dds?timestamp=1705439396.dds`,
    mediaTheme: '',
  };
}

/** An official campaign (seasonal or weekly shorts) in Live's shape. */
export function officialCampaignJson(
  id: number,
  name: string,
  useCase: number,
  maps: NadeoMap[],
  startTimestamp: number,
  endTimestamp: number,
  week = -1,
  year = -1,
): Record<string, unknown> {
  return {
    id,
    seasonUid: uuidFrom(`official-${id}`),
    name,
    useCase,
    clubId: 0,
    startTimestamp,
    endTimestamp,
    rankingSentTimestamp: null,
    year,
    week,
    day: -1,
    monthYear: -1,
    month: -1,
    monthDay: -1,
    playlist: playlist(maps, id),
    editionTimestamp: startTimestamp - 700000,
  };
}

/** One month of Tracks of the Day (or Royal maps), `back` months before `now`. */
export function totdMonthJson(now: Date, back: number, maps: NadeoMap[], royal: boolean): Record<string, unknown> {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  const year = first.getUTCFullYear();
  const month = first.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const shownDays = back === 0 ? now.getUTCDate() : lastDay;
  const days = Array.from({ length: shownDays }, (_, i) => {
    const start = Math.floor(Date.UTC(year, month - 1, i + 1, 17) / 1000);
    const map = maps[(year * 372 + month * 31 + i + (royal ? 7 : 0)) % maps.length]!;
    return {
      campaignId: 18000 + (year - 2020) * 400 + month * 31 + i,
      mapUid: map.uid,
      day: (new Date(start * 1000).getUTCDay() + 6) % 7,
      monthDay: i + 1,
      seasonUid: uuidFrom(`totd-season-${year}-${month}-${i}-${royal}`),
      leaderboardGroup: null,
      startTimestamp: start,
      endTimestamp: start + 86400,
      relativeStart: start - nowSeconds,
      relativeEnd: start + 86400 - nowSeconds,
    };
  });
  return { year, month, lastDay, days, media: EMPTY_MEDIA };
}

/** A Meet competition in the reference's shape. */
export function competitionJson(id: number, name: string, nbPlayers: number, startDate: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    liveId: `LID-COMP-${uuidFrom(`competition-${id}`).replace(/-/g, '').slice(0, 15)}`,
    creator: 'afe7e1c1-7086-48f7-bde9-a7e320647510',
    name,
    participantType: 'PLAYER',
    description: null,
    activityId: null,
    clubId: null,
    registrationStart: null,
    registrationEnd: null,
    startDate,
    endDate: startDate + 7200,
    matchesGenerationDate: startDate - 25,
    nbPlayers,
    spotStructure: '{"version":1,"rounds":[{"matchGeneratorData":{"matchSize":64,"matchGeneratorType":"daily_cup"},"matchGeneratorType":"daily_cup"}]}',
    leaderboardId: id * 2 + 5000,
    manialink: null,
    rulesUrl: null,
    streamUrl: null,
    websiteUrl: null,
    logoUrl: null,
    verticalUrl: null,
    allowedZones: [],
    deletedOn: null,
    autoNormalizeSeeds: true,
    region: 'eu-west',
    autoGetParticipantSkillLevel: 'DISABLED',
    matchAutoMode: 'ENABLED',
    partition: 'crossplay',
    ...extra,
  };
}

/** A zone path such as `World|Europe|France|Corrèze`. */
export function zonePathOf(accountId: string): string {
  const names: string[] = [];
  for (let zone: NadeoZone | undefined = zoneOf(accountId); zone; zone = SAMPLE_ZONES.find((z) => z.zoneId === zone!.parentId)) names.unshift(zone.name);
  return names.join('|');
}

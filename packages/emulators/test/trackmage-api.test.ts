import { startTrackmageEmulator, trackmageSpec, type TrackmageEmulator } from '@maniapass/emulators';

const jane = trackmageSpec.sampleUsers[0]!; // member of one team with two workspaces
const other = trackmageSpec.sampleUsers[1]!; // no team

let emulator: TrackmageEmulator;
beforeEach(async () => {
  emulator = await startTrackmageEmulator();
});
afterEach(() => emulator.close());

const JSON_ACCEPT = { Accept: 'application/json' };
const as = (userId = jane.id) => ({ Authorization: `Bearer ${emulator.issueAccessToken({ userId })}` });
async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  // Bodies are asserted field by field, whatever their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the bodies field by field, whatever their shape
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}

describe('PUT /users/{id}', () => {
  it('replaces the writable fields (User-Put) and answers the record (User-Get); GET shows the change', async () => {
    const put = await call(
      'PUT',
      `/users/${jane.id}`,
      { ...as(), ...JSON_ACCEPT },
      { firstName: 'Janet', lastName: null, timezone: 'Europe/Paris', email: 'ignored@example.com' },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: jane.id, firstName: 'Janet', lastName: null, timezone: 'Europe/Paris', email: jane.email });
    expect(Object.keys(put.body).sort()).toEqual([
      'email',
      'emailVerified',
      'firstName',
      'id',
      'lastName',
      'passwordSet',
      'photo',
      'teams',
      'timezone',
      'trialRedeemed',
    ]);
    expect((await call('GET', `/users/${jane.id}`, { ...as(), ...JSON_ACCEPT })).body.firstName).toBe('Janet');
    const ld = await call('PUT', `/users/${jane.id}`, as(), { firstName: 'Jane' });
    expect(ld.type).toMatch(/^application\/ld\+json/);
    expect(ld.body).toMatchObject({ '@context': '/contexts/User', '@id': `/users/${jane.id}`, '@type': 'User', firstName: 'Jane' });
  });

  it('does not change the sample users of other emulators', async () => {
    await call('PUT', `/users/${jane.id}`, as(), { firstName: 'Changed' });
    const fresh = await startTrackmageEmulator();
    try {
      const res = await fetch(`${fresh.url}/users/${jane.id}`, {
        headers: { ...JSON_ACCEPT, Authorization: `Bearer ${fresh.issueAccessToken({ userId: jane.id })}` },
      });
      expect(((await res.json()) as { firstName: string }).firstName).toBe('Jane');
    } finally {
      await fresh.close();
    }
  });

  it('answers as API Platform: 400 for broken JSON or a wrong type, 422 for a short password, 403/404 as GET', async () => {
    expect(await call('PUT', `/users/${jane.id}`, as(), '{"firstName":')).toMatchObject({ status: 400, body: { 'hydra:description': 'Syntax error' } });
    expect(await call('PUT', `/users/${jane.id}`, as(), { firstName: 42 })).toMatchObject({
      status: 400,
      body: { 'hydra:description': 'The type of the "firstName" attribute must be "string", "integer" given.' },
    });
    const short = await call('PUT', `/users/${jane.id}`, as(), { plainPassword: 'short' });
    expect(short).toMatchObject({
      status: 422,
      body: { violations: [{ propertyPath: 'plainPassword', message: 'This value is too short. It should have 8 characters or more.' }] },
    });
    expect((await call('PUT', `/users/${jane.id}`, as(), { plainPassword: 'long enough' })).body.passwordSet).toBe(true);
    expect(await call('PUT', `/users/${jane.id}`, as(), { photo: '/media/nope' })).toMatchObject({
      status: 400,
      body: { 'hydra:description': 'Item not found for "/media/nope".' },
    });
    expect((await call('PUT', `/users/${jane.id}`, as(other.id), { firstName: 'x' })).status).toBe(403);
    expect((await call('PUT', '/users/no-such-user', as(), { firstName: 'x' })).status).toBe(404);
    expect(await call('PUT', `/users/${jane.id}`, {}, { firstName: 'x' })).toMatchObject({ status: 401, body: { code: 401, message: 'JWT Token not found' } });
  });
});

describe('workspaces', () => {
  it("GET /workspaces lists the workspaces of the caller's teams: an array as JSON, a hydra collection otherwise", async () => {
    const plain = await call('GET', '/workspaces', { ...as(), ...JSON_ACCEPT });
    expect(plain.status).toBe(200);
    expect(plain.body.map((w: { title: string }) => w.title)).toEqual(['Main store', 'Outlet']);
    expect(Object.keys(plain.body[0]).sort()).toEqual([
      'defaultTrackingPage',
      'emailSettings',
      'id',
      'logo',
      'scheduledForDelete',
      'shipmentsCount',
      'team',
      'title',
      'widgets',
      'workflowsCount',
      'workflowsOrder',
    ]);
    const ld = await call('GET', '/workspaces', as());
    expect(ld.body).toMatchObject({ '@context': '/contexts/Workspace', '@id': '/workspaces', '@type': 'hydra:Collection', 'hydra:totalItems': 2 });
    expect(ld.body['hydra:member'][0]).toMatchObject({ '@id': `/workspaces/${plain.body[0].id}`, '@type': 'Workspace', title: 'Main store' });
    expect(ld.body['hydra:view']).toBeUndefined();
    expect((await call('GET', '/workspaces', { ...as(other.id), ...JSON_ACCEPT })).body).toEqual([]);
  });

  it('pages with page and itemsPerPage (at most 500), with hydra:view links', async () => {
    expect((await call('GET', '/workspaces?itemsPerPage=1&page=2', { ...as(), ...JSON_ACCEPT })).body.map((w: { title: string }) => w.title)).toEqual([
      'Outlet',
    ]);
    const ld = await call('GET', '/workspaces?itemsPerPage=1&page=1', as());
    expect(ld.body['hydra:view']).toEqual({
      '@id': '/workspaces?itemsPerPage=1&page=1',
      '@type': 'hydra:PartialCollectionView',
      'hydra:first': '/workspaces?itemsPerPage=1&page=1',
      'hydra:last': '/workspaces?itemsPerPage=1&page=2',
      'hydra:next': '/workspaces?itemsPerPage=1&page=2',
    });
    expect((await call('GET', '/workspaces?itemsPerPage=100000', { ...as(), ...JSON_ACCEPT })).body).toHaveLength(2);
    expect(await call('GET', '/workspaces?page=0', as())).toMatchObject({ status: 400, body: { 'hydra:description': 'Page should not be less than 1' } });
    expect((await call('GET', '/workspaces?itemsPerPage=-1', as())).status).toBe(400);
  });

  it('GET /workspaces/{id}: the workspace of a team of the caller; 403 for another team, 404 for none', async () => {
    const [first] = (await call('GET', '/workspaces', { ...as(), ...JSON_ACCEPT })).body;
    expect(await call('GET', `/workspaces/${first.id}`, { ...as(), ...JSON_ACCEPT })).toMatchObject({ status: 200, body: first });
    expect((await call('GET', `/workspaces/${first.id}`, as())).body).toMatchObject({
      '@context': '/contexts/Workspace',
      '@id': `/workspaces/${first.id}`,
      '@type': 'Workspace',
    });
    expect((await call('GET', '/workspaces/b2a39184-7065-4f4e-8d3c-2b1a09f8e7d6', as())).status).toBe(403);
    expect((await call('GET', `/workspaces/${first.id}`, as(other.id))).status).toBe(403);
    expect(await call('GET', '/workspaces/nope', as())).toMatchObject({ status: 404, body: { '@type': 'hydra:Error' } });
  });

  it("GET /teams/{id}/workspaces: a team's workspaces, for its members", async () => {
    const team = jane.teams[0]!;
    const res = await call('GET', `${team}/workspaces`, { ...as(), ...JSON_ACCEPT });
    expect(res.body.map((w: { team: string }) => w.team)).toEqual([team, team]);
    expect((await call('GET', `${team}/workspaces`, as())).body).toMatchObject({ '@id': `${team}/workspaces`, 'hydra:totalItems': 2 });
    expect((await call('GET', `${team}/workspaces`, as(other.id))).status).toBe(403);
    expect((await call('GET', '/teams/nope/workspaces', as())).status).toBe(404);
  });
});

describe('OAuth clients', () => {
  it("GET /oauth_clients lists the caller's clients (the configured ones belong to the first user), name filter", async () => {
    const list = await call('GET', '/oauth_clients', { ...as(), ...JSON_ACCEPT });
    expect(list.body).toEqual([
      {
        id: expect.any(String),
        name: 'emulator-client-id',
        user: `/users/${jane.id}`,
        secret: 'emulator-client-secret',
        redirectUris: [],
        publicId: 'emulator-client-id',
      },
    ]);
    expect((await call('GET', '/oauth_clients', { ...as(), ...JSON_ACCEPT })).body[0].id).toBe(list.body[0].id);
    expect((await call('GET', '/oauth_clients?name=other', { ...as(), ...JSON_ACCEPT })).body).toEqual([]);
    expect((await call('GET', '/oauth_clients', { ...as(other.id), ...JSON_ACCEPT })).body).toEqual([]);
    expect((await call('GET', '/oauth_clients', as())).body).toMatchObject({
      '@context': '/contexts/OauthClient',
      '@type': 'hydra:Collection',
      'hydra:totalItems': 1,
    });
  });

  it('POST /oauth_clients creates a client (201) whose publicId and secret work at the token endpoint', async () => {
    const created = await call(
      'POST',
      '/oauth_clients',
      { ...as(other.id), ...JSON_ACCEPT },
      { name: 'My app', user: `/users/${other.id}`, redirectUris: ['https://example.com/cb'] },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'My app', user: `/users/${other.id}`, redirectUris: ['https://example.com/cb'], secret: expect.any(String) });
    expect(created.body.publicId).toMatch(new RegExp(`^${created.body.id}_\\S+$`));
    expect((await call('GET', '/oauth_clients', { ...as(other.id), ...JSON_ACCEPT })).body).toEqual([created.body]);
    const token = await fetch(
      `${emulator.url}/oauth/v2/token?grant_type=client_credentials&client_id=${encodeURIComponent(created.body.publicId)}&client_secret=${encodeURIComponent(created.body.secret)}`,
    );
    expect(token.status).toBe(200);
    const ld = await call(
      'POST',
      '/oauth_clients',
      { ...as(), 'Content-Type': 'application/ld+json' },
      JSON.stringify({ name: 'LD', user: `/users/${jane.id}`, redirectUris: ['https://example.com/ld'] }),
    );
    expect(ld).toMatchObject({ status: 201, body: { '@context': '/contexts/OauthClient', '@type': 'OauthClient', name: 'LD' } });
  });

  it('refuses what API Platform refuses: blank fields (422), wrong types (400), another user (403)', async () => {
    const blank = await call('POST', '/oauth_clients', as(), { name: '' });
    expect(blank.status).toBe(422);
    expect(blank.body.violations.map((v: { propertyPath: string }) => v.propertyPath)).toEqual(['name', 'user', 'redirectUris']);
    expect(await call('POST', '/oauth_clients', as(), { name: 'x', user: `/users/${jane.id}`, redirectUris: 'https://example.com' })).toMatchObject({
      status: 400,
      body: { 'hydra:description': 'The type of the "redirectUris" attribute must be "array", "string" given.' },
    });
    expect((await call('POST', '/oauth_clients', as(), { name: 'x', user: `/users/${other.id}`, redirectUris: ['https://example.com'] })).status).toBe(403);
    expect((await call('POST', '/oauth_clients', as(), { name: 'x', user: '/users/nope', redirectUris: ['https://example.com'] })).status).toBe(400);
    expect((await call('POST', '/oauth_clients', as(), '[1,')).status).toBe(400);
    expect((await call('POST', '/oauth_clients', {}, { name: 'x' })).status).toBe(401);
    expect(emulator.clients).toHaveLength(1);
  });
});

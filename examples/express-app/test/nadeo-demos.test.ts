import { NADEO_SAMPLE_MAPS } from '@maniapass/emulators';
import { formattingToHtml } from 'nadeo-api';
import { raceTime } from '../src/nadeo-demos';
import { startExampleApp, type ExampleApp } from './helpers';

let app: ExampleApp;

beforeAll(async () => {
  app = await startExampleApp();
});
afterAll(() => app.close());

describe('the token page through nadeo-api', () => {
  it('shows the Track of the Day and its top 10, map names in their colours and escaped', async () => {
    const res = await app.agent.get('/demo');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Nadeo Live: Track of the Day (nadeo-api, NadeoLiveServices token)');
    expect(res.text).toContain('Nadeo Live: leaderboard of the Track of the Day, top 10 (nadeo-api)');
    expect(res.text).not.toContain('class="card error"');
    // The map's name is rendered, never shown with its raw codes.
    expect(res.text).toMatch(
      /<dl id="totd"><dt>date<\/dt><dd>\d{4}-\d{2}-\d{2}<\/dd><dt>map<\/dt><dd><span class="formatted"><span style="color:#[0-9a-f]{6}">Emulated <\/span><span style="color:#ffffff">map \d+<\/span><\/span>/,
    );
    expect(res.text).not.toMatch(/\$[0-9a-f]{3}Emulated/);
    const rows = res.text.match(/<tr><td>\d+<\/td>/g) ?? [];
    expect(rows).toHaveLength(10);
    // The page's policy lets these style attributes apply, and nothing else inline.
    expect(res.headers['content-security-policy']).toContain("style-src-attr 'unsafe-inline'");
    expect(res.headers['content-security-policy']).toContain("style-src 'self'");
  });

  it('a map whose name carries markup is escaped', () => {
    const map = NADEO_SAMPLE_MAPS[0]!;
    expect(formattingToHtml(`$f00<img src=x onerror=alert(1)>${map.name}`)).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('race times', () => {
    expect(raceTime(53145)).toBe('53.145');
    expect(raceTime(102399)).toBe('1:42.399');
    expect(raceTime(5007)).toBe('5.007');
    expect(raceTime(null)).toBe('hidden');
  });
});

// The map's server side over HTTP: the page's CSP lets images come from the configured tile server and no
// other origin; the settings say what basemaps and postcode table there are; places come from the table.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import { loadPostcodes } from '../../server/geo/load-postcodes.ts';

async function serve(
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<{ app: FastifyInstance; stores: Stores; url: string }> {
  const stores = await openStore({ LINKCHART_DB: join(dir, 'test.db') });
  const config = { ...loadConfig({ LINKCHART_DB: join(dir, 'test.db'), ...env }, dir), webDist: dir };
  const app = await buildApp({ stores, config, security: { audit: false } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return { app, stores, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

const imgSrc = (csp: string | null): string[] =>
  (csp ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find((d) => d[0] === 'img-src')!
    .slice(1);

describe('map configuration', () => {
  it('refuses an unusable tile address, naming the variable', () => {
    expect(() => loadConfig({ LINKCHART_MAP_TILES: 'https://tiles.example/{z}/{x}.png' })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ LINKCHART_MAP_TILES: 'ftp://tiles.example/{z}/{x}/{y}.png' })).toThrow(
      /LINKCHART_MAP_TILES=.*https/,
    );
    expect(() => loadConfig({ LINKCHART_MAP_TILES: 'https://u:p@tiles.example/{z}/{x}/{y}.png' })).toThrow(
      /password/,
    );
  });
});

describe('map API and CSP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-map-api-'));
  let s: Awaited<ReturnType<typeof serve>>;
  let auth: Record<string, string>;
  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    s = await serve(
      {
        LINKCHART_MAP_TILES: 'https://maps.force.example:8443/osm/{z}/{x}/{y}.png',
        LINKCHART_MAP_TILES_NAME: 'Force map',
      },
      dir,
    );
    const user = await s.stores.security.createUser({
      name: 'viewer1',
      role: 'viewer',
      passwordHash: 'not-used',
    });
    const { id, session } = await s.app.security.sessions.create({
      id: user.id,
      name: user.name,
      role: user.role,
    });
    auth = { cookie: `${s.app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
  });
  afterAll(async () => {
    await s.app.close();
    await s.stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets the page load images from exactly the configured tile server's origin", async () => {
    const page = await fetch(`${s.url}/`);
    expect(page.status).toBe(200);
    expect(imgSrc(page.headers.get('content-security-policy'))).toEqual([
      "'self'",
      'data:',
      'blob:',
      'https://maps.force.example:8443',
    ]);
    // Everything else stays our own origin only.
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self';/);
  });

  it('tells a signed-in viewer the tile server and that no postcode table is loaded, then places from a loaded one', async () => {
    expect((await fetch(`${s.url}/api/map/settings`)).status).toBe(401);
    const settings = await (await fetch(`${s.url}/api/map/settings`, { headers: auth })).json();
    expect(settings).toEqual({
      tiles: { url: 'https://maps.force.example:8443/osm/{z}/{x}/{y}.png', name: 'Force map' },
      postcodes: null,
    });
    const ask = (postcodes: unknown) =>
      fetch(`${s.url}/api/map/places`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ postcodes }),
      });
    expect(await (await ask(['SW1A 1AA'])).json()).toEqual({ table: false, places: [] });

    // Loaded while the server runs: the next request sees it.
    const csv = join(dir, 'pc.csv');
    writeFileSync(csv, 'pcds,lat,long\nSW1A 1AA,51.501009,-0.141588\nLS1 4DY,53.796,-1.5478\n');
    await loadPostcodes(createReadStream(csv), join(dir, 'postcodes.sqlite'), 'pc.csv');
    const settings2 = (await (await fetch(`${s.url}/api/map/settings`, { headers: auth })).json()) as {
      postcodes: { rows: number };
    };
    expect(settings2.postcodes).toMatchObject({
      rows: 2,
      source: 'pc.csv',
      layout: 'ONS Postcode Directory',
    });
    expect(await (await ask(['sw1a1aa', 'ls1 4dy', 'B1 1AA'])).json()).toEqual({
      table: true,
      places: [
        { postcode: 'SW1A 1AA', lat: 51.501009, lon: -0.141588 },
        { postcode: 'LS1 4DY', lat: 53.796, lon: -1.5478 },
      ],
    });
  });

  it('refuses more postcodes than one chart holds, saying so', async () => {
    const r = await fetch(`${s.url}/api/map/places`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ postcodes: Array.from({ length: 5001 }, () => 'SW1A 1AA') }),
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toMatch(/postcodes/);
  });
});

describe('CSP without a tile server', () => {
  it('allows images from our own origin only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkchart-map-api-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const s = await serve({}, dir);
    try {
      const page = await fetch(`${s.url}/`);
      expect(imgSrc(page.headers.get('content-security-policy'))).toEqual(["'self'", 'data:', 'blob:']);
    } finally {
      await s.app.close();
      await s.stores.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// End-to-end harness: the real server (server/cli/start.ts) on a random port with a temp SQLite file holding
// the demo network, and real Chromium driven by playwright-core. Builds the web app if web/dist is missing or stale.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'test/out');
export const CHROMIUM = '/usr/bin/chromium';

/** Chromium flags; the fresh profile directory is passed as userDataDir (playwright's way of --user-data-dir). */
export function chromiumArgs(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
}

/** Newest modification time under a path (a file, or a folder walked recursively), in ms. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), st.mtimeMs);
}

/** Builds web/dist when it is missing or older than the web app's sources, so a test never drives a stale app. */
export function ensureWebBuilt(): void {
  const built = join(ROOT, 'web/dist/index.html');
  const sources = ['web/src', 'web/index.html', 'vite.config.ts'].map((p) => newest(join(ROOT, p)));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources)) return;
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}

export interface Server {
  url: string;
  user: string;
  password: string;
  dir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the server the way `npm start` does (without rebuilding the web app). An empty database gets the demo
 * network from the seed; `prepare` may fill the database first instead.
 */
export async function startServer(prepare?: (dbPath: string) => Promise<void>): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-e2e-'));
  const db = join(dir, 'e2e.db');
  if (prepare) await prepare(db);
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/cli/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LINKCHART_DB: db, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 180_000;
  let url = '';
  let password = '';
  let user = '';
  while (Date.now() < deadline) {
    const m = /running at (http:\/\/[^\s/]+)\//.exec(out);
    const p = /[Ss]ign in as (\S+) (?:\(\w+\) )?with password (\S+)/.exec(out);
    if (m && p) {
      url = m[1];
      user = p[1];
      password = p[2];
      break;
    }
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!url) {
    proc.kill();
    throw new Error(`server did not start in time: ${out}`);
  }
  return {
    url,
    user,
    password,
    dir,
    proc,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch(
  viewport = { width: 1366, height: 768 },
): Promise<{ context: BrowserContext; profile: string; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'linkchart-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: chromiumArgs(),
    viewport,
    acceptDownloads: true,
  });
  return {
    context,
    profile,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function login(page: Page, server: Server): Promise<void> {
  await page.goto(server.url + '/');
  await page.waitForSelector('[data-testid=login]');
  await page.fill('[data-testid=login-name]', server.user);
  await page.fill('[data-testid=login-password]', server.password);
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=login]', { state: 'detached' });
}

/**
 * Loads the demo network and then its whole view onto the chart: the demo opens on its most central
 * people, and some checks want every entity (all the places, the crowded chart).
 */
export async function loadDemoWholeView(page: Page): Promise<void> {
  await page.click('[data-testid=load-demo]');
  await page.waitForFunction(() => (window.__linkchart?.graph.order ?? 0) > 0, null, { timeout: 60_000 });
  await page.waitForSelector('[data-testid=job]', { state: 'detached', timeout: 60_000 });
  await page.click('[data-testid=expand-menu]');
  await page.click('text=Whole view (all the filters let through)…');
  await page.waitForFunction(() => (window.__linkchart?.graph.order ?? 0) > 100, null, { timeout: 60_000 });
}

/**
 * How many pixels of the chart differ from its background, read from a screenshot of the canvas area and
 * decoded in the page (no PNG library needed).
 */
export async function inkedPixels(page: Page, selector = '[data-testid=chart]'): Promise<number> {
  const shot = await page.locator(selector).screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const [r0, g0, b0] = [d[0], d[1], d[2]];
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - r0) + Math.abs(d[i + 1] - g0) + Math.abs(d[i + 2] - b0) > 40) n++;
    return n;
  }, shot.toString('base64'));
}

/** Reads a binary PPM/PGM (pdftoppm's output) and counts pixels darker than near-white. */
export function darkPixelsInPnm(path: string): { width: number; height: number; dark: number } {
  const buf = readFileSync(path);
  const header: string[] = [];
  let i = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    if (buf[i] === 0x23) {
      while (buf[i] !== 0x0a) i++;
      continue;
    }
    let tok = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) tok += String.fromCharCode(buf[i++]);
    header.push(tok);
  }
  i++;
  const [magic, w, h] = [header[0], Number(header[1]), Number(header[2])];
  const channels = magic === 'P6' ? 3 : 1;
  let dark = 0;
  for (let p = 0; p < w * h; p++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += buf[i + p * channels + c];
    if (s / channels < 200) dark++;
  }
  return { width: w, height: h, dark };
}

/** Viewport position (page coordinates) of a node on the chart. */
export async function nodeScreenPosition(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-testid=chart]').boundingBox())!;
  const p = await page.evaluate((nid) => {
    const c = window.__linkchart!;
    const a = c.graph.getNodeAttributes(nid);
    return c.sigma!.graphToViewport({ x: a.x as number, y: a.y as number });
  }, id);
  return { x: box.x + p.x, y: box.y + p.y };
}

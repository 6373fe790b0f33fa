// The intelligence cycle in real Chromium: an analyst proposes a target from the priority matrix, a
// supervisor approves it, the analyst logs the arrest, runs the operational review (side by side,
// screenshot kept in test/out/) and records it; every step is in the audit. Real server, real SQLite
// file, the web app built into a temp folder, random port.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createRoleUsers, tempStore, TEST_PASSWORD, type TempStore } from '../security/helpers.ts';
import { cycleFixture } from '../cycle/network-fixture.ts';
import { loadSeed } from '../../seed/load.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(REPO, 'test', 'out');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`cycle e2e skipped: no Chromium at ${CHROMIUM}`);

let ts: TempStore;
let app: FastifyInstance;
let url: string;
let webDir: string;
let profiles: string[] = [];
let contexts: BrowserContext[] = [];
let ids: Map<string, string>;

async function signedIn(name: string, base = url): Promise<{ ctx: BrowserContext; page: Page }> {
  // Each user gets their own browser with a fresh profile.
  const profile = mkdtempSync(join(tmpdir(), 'lc-chromium-'));
  profiles.push(profile);
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  contexts.push(ctx);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.warn(`[${name}] page error: ${e.message}`));
  await page.goto(base);
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login').waitFor({ state: 'detached' });
  await page.getByTestId('cycle-button').click();
  await page.getByTestId('cycle-workspace').waitFor();
  return { ctx, page };
}

async function targetCard(page: Page) {
  await page.getByTestId('cycle-tab-targets').click();
  const card = page.locator('[data-testid^="target-t"]').first();
  await card.waitFor();
  return card;
}

describe.skipIf(!haveChromium)('intelligence cycle in Chromium', () => {
  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'lc-web-'));
    // A private build, so a build running elsewhere in the tree cannot change what this test serves.
    execFileSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', webDir, '--emptyOutDir'], {
      cwd: REPO,
      stdio: 'inherit',
    });
    ts = await tempStore();
    await createRoleUsers(ts.stores.security, ['analyst', 'supervisor']);
    const r = await ts.stores.graph.writeBatch(cycleFixture(), { actor: 'seed' });
    ids = new Map((await ts.stores.graph.getEntities(r.entityIds)).map((e) => [e.label, e.id]));
    app = await buildApp({ stores: ts.stores, config: { ...loadConfig({}), webDist: webDir } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    contexts = [];
    await app?.close();
    await ts?.cleanup();
    for (const p of profiles) rmSync(p, { recursive: true, force: true });
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    profiles = [];
  });

  it('takes a target from proposed to approved to actioned to reviewed, all audited', async () => {
    const dean = ids.get('Dean Cole')!;

    // Analyst: propose Dean from the priority matrix.
    const analyst = await signedIn('analyst');
    const page = analyst.page;
    await page.getByTestId('priorities-table').waitFor();
    // The matrix says what its network position was computed over, in words.
    await expect(page.getByTestId('priorities-computed').innerText()).resolves.toMatch(
      /betweenness over the person network.*people scored/s,
    );
    mkdirSync(OUT, { recursive: true });
    await page.getByTestId('priorities-panel').screenshot({ path: join(OUT, 'cycle-priorities.png') });
    const row = page.getByTestId(`priority-${dean}`);
    await expect(row.innerText()).resolves.toMatch(/Dean Cole/);
    await row.getByRole('button', { name: 'Propose' }).click();
    // The proposal names Dean by the entity picker (his name, not his id).
    await expect.poll(() => page.getByTestId('propose-entity-picked').innerText()).toMatch(/Dean Cole/);
    await expect(page.getByTestId('propose-reason').inputValue()).resolves.toMatch(/high harm, central/);
    await page.getByTestId('propose-submit').click();
    let card = await targetCard(page);
    await expect(card.getByTestId('target-status').innerText()).resolves.toMatch(/proposed/i);
    // The analyst cannot decide.
    expect(await card.getByTestId('approve').count()).toBe(0);

    // Supervisor: approve with a reason.
    const sup = await signedIn('supervisor');
    const sCard = await targetCard(sup.page);
    await sCard.getByTestId('decision-reason').fill('Proportionate: sole broker between the crews');
    await sCard.getByTestId('approve').click();
    await sCard.getByText(/Approved by supervisor/).waitFor();
    await expect(sCard.getByTestId('target-status').innerText()).resolves.toMatch(/approved/i);
    await sup.ctx.close();

    // Analyst: log the arrest.
    await page.getByRole('button', { name: 'Refresh' }).click();
    card = await targetCard(page);
    await card.getByTestId('action-kind').selectOption('arrest');
    await card.getByTestId('action-date').fill('2024-07-01');
    await card.getByTestId('action-outcome').fill('Arrested and remanded');
    await card.getByTestId('log-action').click();
    await card.getByText(/Arrested and remanded/).waitFor();
    await expect(card.getByTestId('target-status').innerText()).resolves.toMatch(/actioned/i);

    // Analyst: open the operational review around the arrest, run it, look at it.
    await card.getByTestId('open-review').click();
    await expect(page.getByTestId('review-before').inputValue()).resolves.toBe('2024-01-01..2024-06-30');
    // The picker shows "…" until it has looked the prefilled entity up.
    await expect.poll(() => page.getByTestId('review-targets-picked').innerText()).toMatch(/Dean Cole/);
    await page.getByLabel('people and phones only').check();
    await page.getByTestId('review-run').click();
    await page.getByTestId('review-risers').waitFor();
    const risers = await page.getByTestId('review-risers').innerText();
    expect(risers.split('\n')[1]).toMatch(/1\s+Kerry Moss/);
    const lcc = await page.getByTestId('review-lcc').innerText();
    // Predicted (lab): 4 of 9 left in the largest component; observed 8 of 9.
    expect(lcc).toMatch(/100\.0%\s+44\.4%\s+88\.9%/);
    await expect(page.getByTestId('review-findings').innerText()).resolves.toMatch(/re-formed around others/);
    mkdirSync(OUT, { recursive: true });
    await page.getByTestId('review-view').screenshot({ path: join(OUT, 'cycle-review.png') });

    // Record the review with the findings.
    card = await targetCard(page);
    await card.getByTestId('use-review').click();
    await expect(card.getByTestId('review-summary').inputValue()).resolves.toMatch(
      /disruption lab predicted/,
    );
    await card.getByTestId('record-review').click();
    await card.getByText(/Reviewed by analyst/).waitFor();
    await expect(card.getByTestId('target-status').innerText()).resolves.toMatch(/reviewed/i);
    await page.getByTestId('targets-panel').screenshot({ path: join(OUT, 'cycle-targets.png') });
    await analyst.ctx.close();

    // Every step is in the audit, with the target and the entity.
    const target = (await ts.stores.cycle.listTargets()).items[0];
    expect(target).toMatchObject({ entityId: dean, status: 'reviewed', proposedBy: 'analyst' });
    const audit = await ts.stores.security.listAudit({ objectId: target.id, limit: 100 });
    const steps = audit.items
      .filter((e) => e.action.startsWith('target.') && e.outcome === 'ok')
      .map((e) => [e.action, e.actor, e.objectIds.includes(dean)]);
    expect(steps).toEqual([
      ['target.propose', 'analyst', true],
      ['target.decide', 'supervisor', true],
      ['target.action', 'analyst', true],
      ['target.review', 'analyst', true],
    ]);
  });

  it('shows the seed network re-forming around its successors, side by side', async () => {
    const seeded = await tempStore();
    let seedApp: FastifyInstance | null = null;
    try {
      await createRoleUsers(seeded.stores.security, ['analyst']);
      const { truth } = await loadSeed(seeded.stores, {
        seed: 20240701,
        size: 'demo',
        intervention: true,
        truthFile: null,
      });
      const iv = truth.intervention!;
      const arrested = iv.arrested.map((k) => truth.ids![k]);
      const successors = iv.arrested.map((k) => truth.labels[iv.successors[k]]);
      // An interactive view cap below the window's size: the review measures every link of each window,
      // and its pictures draw a truncated view (before, the pictures' views were refused with 413).
      const config = { ...loadConfig({ LINKCHART_MAX_VIEW_LINKS: '600' }), webDist: webDir };
      seedApp = await buildApp({ stores: seeded.stores, config });
      await seedApp.listen({ port: 0, host: '127.0.0.1' });
      const addr = seedApp.server.address();
      const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      const { ctx, page } = await signedIn('analyst', base);
      await page.getByTestId('cycle-tab-review').click();
      await page.getByTestId('review-before').fill('2024-01-01..2024-06-30');
      await page.getByTestId('review-after').fill('2024-07-01..2024-12-31');
      // The targets are picked by searching for their names, as an analyst would.
      for (const k of iv.arrested) {
        await page.getByTestId('review-targets-search').fill(truth.labels[k]);
        await page
          .getByTestId('review-targets-hits')
          .getByText(truth.labels[k], { exact: true })
          .first()
          .click();
      }
      const picked = page.getByTestId('review-targets-picked');
      const pickedIds = await picked.evaluateAll((els) => els.map((e) => e.getAttribute('data-entity')));
      expect(pickedIds.sort()).toEqual([...arrested].sort());
      await page.getByTestId('review-run').click();
      await page.getByTestId('review-risers').waitFor();
      const top3 = (await page.getByTestId('review-risers').locator('tbody tr').allInnerTexts())
        .slice(0, 3)
        .join('\n');
      for (const name of successors) expect(top3).toContain(name);
      const lcc = await page.getByTestId('review-lcc').innerText();
      expect(lcc).toMatch(/^Largest component \(vs before\)\s+100\.0%\s+\d+\.\d%\s+\d+\.\d%$/);
      await expect(page.getByTestId('review-draw-truncated').innerText()).resolves.toMatch(
        /part of each window.*measured over all of it/,
      );
      // Both charts drew the network, with the targets and the top risers labelled.
      expect(await page.getByTestId('review-before-chart').locator('circle').count()).toBeGreaterThan(100);
      await expect(page.getByTestId('review-before-chart').innerText()).resolves.toContain(
        truth.labels[iv.arrested[0]],
      );
      mkdirSync(OUT, { recursive: true });
      await page.getByTestId('review-view').screenshot({ path: join(OUT, 'cycle-review-seed.png') });
      await ctx.close();
    } finally {
      await seedApp?.close();
      await seeded.cleanup();
    }
  });
});

// Working by operation, end to end: the real server on the demo network, real Chromium. An administrator
// (made with `npm run user`) opens a closed operation and writes a small supplier cell into it. The demo
// analyst, whose remembered operation has gone, is shown the picker (the closed operation is not in it),
// opens their open operation, sees its marking band above the chart and every dialog, and only its data:
// searching for the closed operation's person finds nothing. They import a call file sharing a phone with
// the closed operation, and the deconfliction badge and notice appear, telling them only that a closed
// operation holds it; the closed operation's owner sees who came in and may tell them. Switching operation
// takes the chart off the screen and brings it back. Screenshots at 1366x768 and 1920x1080 under test/out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OUT, ROOT, ensureWebBuilt, launch, login, startServer, type Server } from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');
const ADMIN = { name: 'ops.admin', password: 'granite-heron-lantern-31' };
const CLOSED = { ref: 'NIGHTJAR', name: 'supplier cell' };
const SUPPLIER = 'Silas Mortlake';
/** The supplier's phone, which the analyst's call file also holds. */
const SHARED_PHONE = '07700 900777';
const CDR = [
  'Caller,Callee,Start,Billed',
  `${SHARED_PHONE},07700 900779,2024-06-01 10:00,60`,
  '07700 900779,07700 900780,2024-06-02 11:30,30',
].join('\n');

type Vp = { width: number; height: number };
const SMALL: Vp = { width: 1366, height: 768 };
const LARGE: Vp = { width: 1920, height: 1080 };

async function signIn(page: Page, base: string, name: string, password: string): Promise<void> {
  await page.goto(base + '/');
  await page.getByTestId('login').waitFor();
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login').waitFor({ state: 'detached' });
}

/** A call to the API from the signed-in page (its session and CSRF token), in operation `op` if given. */
async function api<T>(page: Page, method: string, path: string, body?: unknown, op?: string): Promise<T> {
  const r = await page.evaluate(
    async ({ method, path, body, op }) => {
      const csrf = document.cookie
        .split(';')
        .map((c) => c.trim().split('='))
        .find(([k]) => k.includes('csrf'))?.[1];
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
      if (op) headers['x-linkchart-operation'] = op;
      const res = await fetch(path, {
        method,
        credentials: 'include',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json().catch(() => null)) as unknown };
    },
    { method, path, body, op },
  );
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as T;
}

/** The marking band is the topmost thing at the top centre of the window (over any dialog's backdrop). */
async function bandOnTop(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.elementFromPoint(window.innerWidth / 2, 12);
    return el?.closest('[data-testid=marking-band]')?.textContent ?? '';
  });
}

async function shot(page: Page, name: string): Promise<void> {
  const vp = page.viewportSize()!;
  await page.screenshot({ path: join(OUT, `e2e-operations-${name}-${vp.width}.png`) });
}

describe.skipIf(!haveChromium)('working by operation (Chromium)', () => {
  let server: Server;
  const closers: Array<() => Promise<void>> = [];
  const errors: string[] = [];
  let admin: Page;
  let analyst: Page;
  let closedId = '';

  async function open(vp: Vp): Promise<Page> {
    const b = await launch(vp);
    closers.push(b.close);
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer(async (db) => {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'server/cli/user.ts'), 'create', ADMIN.name, '--role', 'admin'],
        {
          cwd: ROOT,
          env: { ...process.env, LINKCHART_DB: db, LINKCHART_PASSWORD: ADMIN.password },
          encoding: 'utf8',
        },
      );
      if (r.status !== 0) throw new Error(`npm run user failed: ${r.stdout}${r.stderr}`);
    });
  }, 240_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await server?.stop();
  });

  it('an administrator opens a closed operation and writes a supplier cell into it', async () => {
    admin = await open(SMALL);
    await signIn(admin, server.url, ADMIN.name, ADMIN.password);
    // A member of no operation: the app opens in the force-wide GENERAL one.
    await admin.getByTestId('marking-text').filter({ hasText: 'OP GENERAL · open to the force' }).waitFor();
    const op = await api<{ id: string; owner: string }>(admin, 'POST', '/api/operations', {
      ref: CLOSED.ref,
      name: CLOSED.name,
      sensitivity: 'closed',
    });
    closedId = op.id;
    expect(op.owner).toBe(ADMIN.name);
    await api(
      admin,
      'POST',
      '/api/batch',
      {
        reports: [
          { ref: 'NJ-1', date: '2024-05-01', author: 'ops desk', source: 2, intel: 'B', handling: 'P' },
        ],
        entities: [
          { type: 'Person', label: SUPPLIER, reports: ['NJ-1'] },
          { type: 'Phone', label: SHARED_PHONE, reports: ['NJ-1'] },
        ],
        links: [
          {
            type: 'USES',
            from: { type: 'Person', key: SUPPLIER.toLowerCase() },
            to: { type: 'Phone', key: '+447700900777' },
            reports: ['NJ-1'],
          },
        ],
      },
      closedId,
    );
    // Once the page lists the operations again (it reopens in GENERAL, remembered), the menu offers it.
    await admin.reload();
    await admin.getByTestId('marking-text').filter({ hasText: 'OP GENERAL' }).waitFor();
    await admin.getByTestId('operation-menu').click();
    await admin.getByRole('menuitem', { name: new RegExp(`^${CLOSED.ref} · `) }).click();
    await admin.getByTestId('marking-text').filter({ hasText: CLOSED.ref }).waitFor();
    const band = admin.getByTestId('marking-band');
    expect(await band.getAttribute('class')).toContain('closed');
    expect(await admin.getByTestId('marking-text').textContent()).toBe(
      `CLOSED · OP ${CLOSED.ref} · members only`,
    );
    expect(await admin.getByTestId('operation-name').textContent()).toBe(CLOSED.name);
    // The closed band is red.
    const bg = await band.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(179, 38, 30)');
    // Its own search finds the supplier.
    const hits = await api<{ items: Array<{ entity: { label: string } }> }>(
      admin,
      'GET',
      `/api/search?q=${encodeURIComponent(SUPPLIER)}`,
      undefined,
      closedId,
    );
    expect(hits.items.map((h) => h.entity.label)).toContain(SUPPLIER);
    await shot(admin, 'closed-band');
  });

  it('the analyst whose operation has gone gets the picker, without the closed operation', async () => {
    analyst = await open(SMALL);
    await analyst.goto(server.url + '/');
    // The operation remembered in this browser no longer exists (or was closed to them).
    await analyst.evaluate(
      (user) => localStorage.setItem(`linkchart.operation.${user}`, 'op999'),
      server.user,
    );
    await login(analyst, server);
    await analyst.getByTestId('op-picker').waitFor();
    expect(await analyst.getByTestId('op-picker-reason').textContent()).toMatch(/no longer open to you/);
    const refs = await analyst
      .locator('[data-testid=op-row]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ref')));
    expect(refs).toContain('KESTREL');
    expect(refs).not.toContain(CLOSED.ref);
    await shot(analyst, 'picker');
    await analyst.locator('[data-testid=op-row][data-ref=KESTREL]').click();
    await analyst.getByTestId('op-picker').waitFor({ state: 'detached' });
    expect(await analyst.getByTestId('marking-text').textContent()).toBe('OP KESTREL · open to the force');
    expect(await analyst.getByTestId('operation-ref').textContent()).toBe('OP KESTREL');
    expect(await analyst.getByTestId('marking-band').getAttribute('class')).toContain('open');
    // Remembered for this user: a reload opens in it without asking.
    expect(
      await analyst.evaluate((user) => localStorage.getItem(`linkchart.operation.${user}`), server.user),
    ).not.toBe('op999');
  });

  it('shows only the operation’s data: the closed operation’s person is not found', async () => {
    await analyst.getByTestId('load-demo').click();
    await analyst.waitForFunction(() => (window.__linkchart?.graph.order ?? 0) > 0, null, {
      timeout: 60_000,
    });
    await analyst.getByTestId('job').waitFor({ state: 'detached', timeout: 60_000 });
    await analyst.getByTestId('search').fill(SUPPLIER);
    await analyst.locator('.suggestions:has-text("No match")').waitFor();
    expect(await analyst.locator('[data-testid=suggestions]').count()).toBe(0);
    // The API answers the same in the working operation and with every operation the analyst may read.
    const kestrel = await analyst.evaluate(
      (user) => localStorage.getItem(`linkchart.operation.${user}`),
      server.user,
    );
    for (const op of [kestrel!, undefined, 'all']) {
      const r = await api<{ items: unknown[] }>(
        analyst,
        'GET',
        `/api/search?q=${encodeURIComponent(SUPPLIER)}`,
        undefined,
        op,
      );
      expect(r.items).toEqual([]);
    }
    // Naming the closed operation is refused as if it did not exist.
    const status = await analyst.evaluate(
      async (id) =>
        (await fetch('/api/search?q=x', { headers: { 'x-linkchart-operation': id }, credentials: 'include' }))
          .status,
      closedId,
    );
    expect(status).toBe(404);
    await analyst.getByTestId('search').fill('');
    await analyst.keyboard.press('Escape');
    await shot(analyst, 'topbar');
  });

  it('keeps the marking above every dialog', async () => {
    for (const [button, dialog] of [
      ['charts-button', 'charts-dialog'],
      ['export-button', 'export-dialog'],
      ['import-button', 'import-dialog'],
    ] as const) {
      await analyst.getByTestId(button).click();
      await analyst.getByTestId(dialog).waitFor();
      expect(await bandOnTop(analyst)).toContain('OP KESTREL · open to the force');
      if (dialog === 'export-dialog')
        expect(await analyst.getByTestId('export-op-marking').textContent()).toMatch(
          /^OP KESTREL · .+ · OPEN$/,
        );
      await analyst.keyboard.press('Escape');
      await analyst.getByTestId(dialog).waitFor({ state: 'detached' });
    }
    await admin.getByTestId('cycle-button').click();
    await admin.getByTestId('cycle-workspace').waitFor();
    expect(await bandOnTop(admin)).toContain(`CLOSED · OP ${CLOSED.ref}`);
    await admin.getByTestId('cycle-button').click();
  });

  it('an import sharing a phone with the closed operation brings a deconfliction notice', async () => {
    const before = Number(
      (await analyst.getByTestId('deconfliction-badge').count())
        ? /(\d+) new/.exec((await analyst.getByTestId('deconfliction-badge').textContent()) ?? '')?.[1]
        : 0,
    );
    await analyst.getByTestId('import-button').click();
    await analyst.getByTestId('import-dialog').waitFor();
    await analyst.setInputFiles('[data-testid=import-file]', {
      name: 'kestrel-calls.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CDR),
    });
    await analyst.waitForSelector('[data-testid=import-preview] tbody tr');
    await analyst.selectOption('[data-testid=map-duration]', 'Billed');
    await analyst.selectOption('[data-testid=import-source]', '2');
    await analyst.selectOption('[data-testid=import-intel]', 'B');
    await analyst.fill('[data-testid=import-report-ref]', 'KES-CDR-OPS');
    await analyst.click('[data-testid=import-run]');
    await analyst.getByTestId('import-report').waitFor();
    await analyst.keyboard.press('Escape');
    await analyst.waitForFunction(
      (n) => {
        const t = document.querySelector('[data-testid=deconfliction-badge]')?.textContent ?? '';
        return Number(/(\d+) new/.exec(t)?.[1] ?? 0) === n + 1;
      },
      before,
      { timeout: 20_000 },
    );
    await shot(analyst, 'badge');
    await analyst.getByTestId('deconfliction-badge').click();
    await analyst.getByTestId('deconfliction-screen').waitFor();
    const row = analyst.locator('[data-testid=notice-row]', { hasText: SHARED_PHONE });
    await row.waitFor();
    expect(await row.getByTestId('notice-other').textContent()).toBe(
      'A closed operation holds this; contact the deconfliction desk',
    );
    // Nothing of the closed operation: not its ref, not its owner, not its person.
    const screenText = (await analyst.getByTestId('deconfliction-screen').textContent()) ?? '';
    for (const secret of [CLOSED.ref, CLOSED.name, ADMIN.name, SUPPLIER])
      expect(screenText).not.toContain(secret);
    expect(await row.getByTestId('notice-disclose').count()).toBe(0);
    expect(await bandOnTop(analyst)).toContain('OP KESTREL');
    await shot(analyst, 'deconfliction');
    await row.getByTestId('notice-contacted').click();
    await analyst
      .locator('[data-testid=notice-row][data-state=contacted]', { hasText: SHARED_PHONE })
      .waitFor();
  });

  it('the closed operation’s owner sees who came in, and may tell them', async () => {
    await admin.getByTestId('operation-menu').click();
    await admin.getByRole('menuitem', { name: 'Deconfliction notices…' }).click();
    await admin.getByTestId('deconfliction-screen').waitFor();
    const row = admin.locator('[data-testid=notice-row]', { hasText: SHARED_PHONE });
    await row.waitFor();
    expect(await row.getByTestId('notice-other').textContent()).toMatch(
      /^OP KESTREL · .+ \(open, owner \S+\) has brought this in$/,
    );
    expect(await row.getAttribute('data-state')).toBe('contacted');
    await shot(admin, 'deconfliction-owner');
    await row.getByTestId('notice-disclose').click();
    await row.getByText('Stop telling the other side').waitFor();
    await admin.keyboard.press('Escape');
    // Now the analyst is told who holds it.
    await analyst.getByTestId('notice-state-filter').selectOption('contacted');
    await analyst
      .locator('[data-testid=notice-row]', { hasText: SHARED_PHONE })
      .getByText(`OP ${CLOSED.ref} · ${CLOSED.name} (closed, owner ${ADMIN.name}) holds this`)
      .waitFor();
    await analyst.keyboard.press('Escape');
  });

  it('switching operation takes the chart away, and coming back brings it back', async () => {
    const order = await analyst.evaluate(() => window.__linkchart!.graph.order);
    expect(order).toBeGreaterThan(0);
    await analyst.getByTestId('operation-menu').click();
    await analyst.getByRole('menuitem', { name: /^GENERAL · / }).click();
    await analyst.waitForFunction(
      () => document.querySelector('[data-testid=operation-ref]')?.textContent === 'OP GENERAL',
    );
    expect(await analyst.evaluate(() => window.__linkchart!.graph.order)).toBe(0);
    await analyst.getByTestId('empty-state').waitFor();
    await analyst.getByTestId('operation-menu').click();
    await analyst.getByRole('menuitem', { name: /KESTREL · / }).click();
    await analyst.waitForFunction((n) => window.__linkchart!.graph.order === n, order, { timeout: 20_000 });
    expect(await analyst.getByTestId('marking-text').textContent()).toBe('OP KESTREL · open to the force');
  });

  it('at 1920x1080: the analyst opens straight in their operation; the screens fit', async () => {
    const big = await open(LARGE);
    await login(big, server);
    // Not remembered in this browser, and a member of one operation only: no question to ask.
    await big.getByTestId('marking-text').filter({ hasText: 'OP KESTREL' }).waitFor();
    expect(await big.getByTestId('op-picker').count()).toBe(0);
    await big.waitForFunction(() => (window.__linkchart?.graph.order ?? 0) > 0, null, { timeout: 30_000 });
    await shot(big, 'topbar');
    await big.getByTestId('operation-menu').click();
    await big.getByRole('menuitem', { name: 'All my operations…' }).click();
    await big.getByTestId('op-picker').waitFor();
    await shot(big, 'picker');
    await big.getByTestId('op-picker-cancel').click();
    await big.getByTestId('operation-menu').click();
    await big.getByRole('menuitem', { name: 'Deconfliction notices…' }).click();
    await big.getByTestId('deconfliction-screen').waitFor();
    await shot(big, 'deconfliction');
    expect(errors).toEqual([]);
  });
});

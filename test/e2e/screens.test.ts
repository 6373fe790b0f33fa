// Screens for everyone, end to end: the real server on the demo network, real Chromium. Sign-out returns to
// the sign-in form and the server refuses the old session; an analyst changes their password (the policy's
// refusal shown beside the field); an administrator (made with `npm run user`) creates a supervisor, who
// creates an analyst and disables them (they can no longer sign in), cannot touch the administrator's
// account, filters the audit, exports it, retains one report and disposes of another. Every dialog is screenshotted at 1366x768 and 1920x1080 and must fit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OUT, ROOT, ensureWebBuilt, launch, startServer, type Server } from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');
const ADMIN = { name: 'boss', password: 'amber-kestrel-harbour-42' };
const SUPERVISOR = { name: 'sam.supervisor', password: 'copper-lantern-meadow-7' };
const VICTIM = 'vic.analyst';

async function signIn(page: Page, base: string, name: string, password: string): Promise<void> {
  await page.goto(base + '/');
  await page.getByTestId('login').waitFor();
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login').waitFor({ state: 'detached' });
}

/** Works in operation `ref` (the demo network is in KESTREL; a member of none opens in GENERAL). */
async function workIn(page: Page, ref: string): Promise<void> {
  // A member of that one operation opens in it already.
  await page.getByTestId('operation-ref').waitFor();
  if ((await page.getByTestId('operation-ref').innerText()).includes(`OP ${ref}`)) return;
  await page.getByTestId('operation-menu').click();
  await page.getByRole('menuitem', { name: new RegExp(`^${ref} · `) }).click();
  await page.getByTestId('operation-ref').getByText(`OP ${ref}`, { exact: true }).waitFor();
}

/** A sign-in through the API: the status the server answers. */
async function apiSignIn(base: string, name: string, password: string): Promise<number> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ name, password }),
  });
  return r.status;
}

async function cookieHeader(ctx: BrowserContext, base: string): Promise<string> {
  return (await ctx.cookies(base)).map((c) => `${c.name}=${c.value}`).join('; ');
}

async function accountItem(page: Page, label: string | RegExp): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: label }).click();
}

/** The dialog lies wholly inside the window and its closing buttons are visible inside it. */
async function assertFits(page: Page, testId: string): Promise<void> {
  const vp = page.viewportSize()!;
  const box = (await page.getByTestId(testId).boundingBox())!;
  expect(box.y, `${testId} top`).toBeGreaterThanOrEqual(0);
  expect(box.x, `${testId} left`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${testId} bottom`).toBeLessThanOrEqual(vp.height);
  expect(box.x + box.width, `${testId} right`).toBeLessThanOrEqual(vp.width);
  const buttons = page.getByTestId(testId).locator('.dialog-body .buttons').last();
  const b = (await buttons.boundingBox())!;
  expect(b.y + b.height, `${testId} buttons`).toBeLessThanOrEqual(box.y + box.height + 0.5);
  expect(b.y, `${testId} buttons`).toBeGreaterThanOrEqual(box.y);
  // Nothing cut off at the sides: the body does not scroll sideways.
  const body = await page
    .getByTestId(testId)
    .locator('.dialog-body')
    .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(body.scroll, `${testId} width`).toBeLessThanOrEqual(body.client);
}

describe.skipIf(!haveChromium)('screens for everyone (Chromium)', () => {
  let server: Server;
  const closers: Array<() => Promise<void>> = [];

  async function browser(width = 1366, height = 768): Promise<{ ctx: BrowserContext; page: Page }> {
    const b = await launch({ width, height });
    closers.push(b.close);
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    return { ctx: b.context, page };
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer(async (db) => {
      // The administrator comes from the command-line tool, as a force's first admin would.
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
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await server?.stop();
  });

  it('signs out to the sign-in form, and the server refuses the old session', async () => {
    const { ctx, page } = await browser();
    await signIn(page, server.url, server.user, server.password);
    const before = await cookieHeader(ctx, server.url);
    const ok = await fetch(`${server.url}/api/auth/whoami`, { headers: { cookie: before } });
    expect(ok.status).toBe(200);
    // An analyst's menu offers no supervisors' screens.
    await page.getByTestId('account-menu').click();
    const items = await page.getByRole('menuitem').allInnerTexts();
    expect(items).toEqual(['Change my password…', 'Sign out']);
    await page.screenshot({ path: join(OUT, 'screens-account-menu.png') });
    // Escape closes a menu, as a native one does.
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem').first().waitFor({ state: 'detached' });
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByTestId('login').waitFor();
    await page.screenshot({ path: join(OUT, 'screens-signed-out.png') });
    // The session cookie the browser held is dead on the server.
    for (const path of ['/api/auth/whoami', '/api/search?q=cole']) {
      const r = await fetch(`${server.url}${path}`, { headers: { cookie: before } });
      expect(r.status, path).toBe(401);
    }
    // And the chart of the signed-out user is gone from the page.
    expect(await page.evaluate(() => window.__linkchart!.graph.order)).toBe(0);
  });

  it('changes the password, with the policy refusal beside the field it concerns', async () => {
    const { page } = await browser();
    await signIn(page, server.url, server.user, server.password);
    await accountItem(page, /Change my password/);
    await page.getByTestId('password-dialog').waitFor();
    // Wrong current password: said in words, no API jargon.
    await page.getByTestId('password-current').fill('not-my-password-at-all');
    await page.getByTestId('password-next').fill('violet-harbour-kestrel-9');
    await page.getByTestId('password-again').fill('violet-harbour-kestrel-9');
    await page.getByTestId('password-save').click();
    await expect(page.getByTestId('password-error').innerText()).resolves.toBe(
      'The current password is wrong.',
    );
    // Too short: the message sits under the new-password field.
    await page.getByTestId('password-current').fill(server.password);
    await page.getByTestId('password-next').fill('short1');
    await page.getByTestId('password-again').fill('short1');
    await page.getByTestId('password-save').click();
    const fieldMsg = await page.getByTestId('password-next-error').innerText();
    expect(fieldMsg).toMatch(/^New password: must be at least \d+ characters/);
    expect(fieldMsg).not.toMatch(/body\.|next:/);
    await page.screenshot({ path: join(OUT, 'screens-password-refused.png') });
    const fresh = 'violet-harbour-kestrel-9';
    await page.getByTestId('password-next').fill(fresh);
    await page.getByTestId('password-again').fill(fresh);
    await page.getByTestId('password-save').click();
    await page.getByTestId('password-dialog').waitFor({ state: 'detached' });
    expect(await apiSignIn(server.url, server.user, server.password)).toBe(401);
    expect(await apiSignIn(server.url, server.user, fresh)).toBe(200);
    server.password = fresh;
  });

  it('lets an administrator create a supervisor and an analyst', async () => {
    const { page } = await browser();
    await signIn(page, server.url, ADMIN.name, ADMIN.password);
    await accountItem(page, 'Users…');
    await page.getByTestId('users-screen').waitFor();
    // A name too short: the message is under the name field, in words.
    await page.getByTestId('new-user-name').fill('x');
    await page.getByTestId('new-user-save').click();
    await expect(page.getByTestId('new-user-name-error').innerText()).resolves.toBe(
      'Name: use at least 2 characters.',
    );
    // The supervisor, with a chosen password.
    await page.getByTestId('new-user-name').fill(SUPERVISOR.name);
    await page.getByTestId('new-user-role').selectOption('supervisor');
    await page.getByTestId('new-user-password').fill(SUPERVISOR.password);
    await page.getByTestId('new-user-save').click();
    await page.locator(`[data-testid=user-row][data-name="${SUPERVISOR.name}"]`).waitFor();
    // The supervisor supervises KESTREL (the demo's operation): a supervisor's audit screen shows the records
    // of the operations they supervise (and sign-ins and GENERAL's), so their retention decisions there show.
    const added = await page.evaluate(async (name) => {
      const csrf = document.cookie
        .split(';')
        .map((c) => c.trim().split('='))
        .find(([k]) => k === '__Host-linkchart-csrf' || k === 'linkchart_csrf')?.[1];
      const ops = (await (await fetch('/api/operations', { credentials: 'include' })).json()) as {
        items: Array<{ id: string; ref: string }>;
      };
      const kestrel = ops.items.find((o) => o.ref === 'KESTREL')!;
      const r = await fetch(`/api/operations/${kestrel.id}/members/${encodeURIComponent(name)}`, {
        method: 'PUT',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf ?? '') },
        body: JSON.stringify({ role: 'supervisor' }),
      });
      return r.status;
    }, SUPERVISOR.name);
    expect(added).toBe(200);
    // The administrator cannot disable themself: the control is off.
    const me = page.locator(`[data-testid=user-row][data-name="${ADMIN.name}"]`);
    expect(await me.getByTestId('user-toggle').isDisabled()).toBe(true);
  });

  it('lets a supervisor create an analyst and disable them, who can then not sign in', async () => {
    const { page } = await browser();
    await signIn(page, server.url, SUPERVISOR.name, SUPERVISOR.password);
    await accountItem(page, 'Users…');
    await page.getByTestId('users-screen').waitFor();
    // A supervisor makes analysts and viewers, not supervisors or administrators (the server's rule).
    const offered = await page
      .getByTestId('new-user-role')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(['viewer', 'analyst']);
    // An analyst with a generated password, shown once.
    await page.getByTestId('new-user-name').fill(VICTIM);
    await page.getByTestId('new-user-role').selectOption('analyst');
    await page.getByTestId('new-user-save').click();
    const generated = await page.getByTestId('generated-password').innerText();
    expect(generated.length).toBeGreaterThanOrEqual(12);
    expect(await apiSignIn(server.url, VICTIM, generated)).toBe(200);
    // Disable the analyst.
    const row = page.locator(`[data-testid=user-row][data-name="${VICTIM}"]`);
    await row.getByTestId('user-toggle').click();
    await row.getByTestId('user-status').getByText('Disabled').waitFor();
    await page
      .getByTestId('users-notice')
      .getByText(/is disabled/)
      .waitFor();
    // The administrator's account is out of the supervisor's reach: its controls are off, and say why.
    const admin = page.locator(`[data-testid=user-row][data-name="${ADMIN.name}"]`);
    expect(await admin.getByTestId('user-toggle').isDisabled()).toBe(true);
    expect(await admin.getByTestId('user-toggle').getAttribute('title')).toMatch(/Only an administrator/);
    await page.screenshot({ path: join(OUT, 'screens-users.png') });
    // The disabled analyst cannot sign in, by the API or the page.
    expect(await apiSignIn(server.url, VICTIM, generated)).toBe(401);
    const other = await browser();
    await other.page.goto(server.url + '/');
    await other.page.getByTestId('login-name').fill(VICTIM);
    await other.page.getByTestId('login-password').fill(generated);
    await other.page.getByTestId('login-submit').click();
    await other.page.getByText('Wrong name or password').waitFor();
  });

  it('lets a supervisor filter and export the audit, retain one report and dispose of another', async () => {
    const { page } = await browser();
    await signIn(page, server.url, SUPERVISOR.name, SUPERVISOR.password);
    await workIn(page, 'KESTREL');
    // A supervisor sees users (analysts' and viewers' accounts), the audit and retention.
    await page.getByTestId('account-menu').click();
    const items = await page.getByRole('menuitem').allInnerTexts();
    expect(items).toEqual(['Change my password…', 'Users…', 'Audit trail…', 'Retention review…', 'Sign out']);
    await page.getByRole('menuitem', { name: 'Audit trail…' }).click();
    await page.getByTestId('audit-screen').waitFor();
    await page.getByTestId('audit-table').waitFor();

    // Filter: what the supervisor did to users (created the analyst, disabled them).
    await page.getByTestId('audit-actor').fill(SUPERVISOR.name);
    await page.getByTestId('audit-action').selectOption('users.change');
    await page.getByTestId('audit-search').click();
    await page
      .getByTestId('audit-count')
      .getByText(/^Records 1–\d+ of \d+, newest first$/)
      .waitFor();
    const rows = page.getByTestId('audit-row');
    await expect
      .poll(async () =>
        (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).join(),
      )
      .toMatch(/^users\.change(,users\.change)+$/);
    const actors = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-actor')));
    expect(new Set(actors)).toEqual(new Set([SUPERVISOR.name]));
    // Narrow by time: from a minute in the future nothing matches.
    const soon = new Date(Date.now() + 60 * 60_000);
    const local = new Date(soon.getTime() - soon.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByTestId('audit-since').fill(local);
    await page.getByTestId('audit-search').click();
    await page.getByTestId('audit-count').getByText('No records match.').waitFor();
    await page.getByTestId('audit-since').fill('');
    await page.getByTestId('audit-search').click();
    await page.getByTestId('audit-table').waitFor();
    // Paging by key through everything: the newest page, the one before it, and back.
    await page.getByTestId('audit-actor').fill('');
    await page.getByTestId('audit-action').selectOption('');
    await page.getByTestId('audit-search').click();
    const auditCount = page.getByTestId('audit-count');
    const shown = async () => {
      const m = /^Records (\d+)–(\d+) of (\d+), newest first$/.exec(await auditCount.innerText());
      const seqs = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
      return { low: Number(m?.[1]), high: Number(m?.[2]), total: Number(m?.[3]), seqs };
    };
    await expect.poll(async () => (await shown()).seqs.length).toBe(50);
    const newest = await shown();
    expect(newest.high).toBe(newest.total);
    expect(newest.high - newest.low + 1).toBe(50);
    expect(newest.seqs).toEqual([...newest.seqs].sort((a, b) => b - a));
    await page.getByTestId('audit-older').click();
    await expect.poll(async () => (await shown()).high).toBe(newest.low - 1);
    const older = await shown();
    expect(Math.max(...older.seqs)).toBeLessThan(Math.min(...newest.seqs));
    expect(older.high - older.low + 1).toBe(older.seqs.length);
    await page.getByTestId('audit-newer').click();
    await expect.poll(async () => (await shown()).low).toBe(newest.low);
    expect((await shown()).seqs.slice(-50)).toEqual(newest.seqs.slice(-50));
    await page.screenshot({ path: join(OUT, 'screens-audit.png') });
    // An export names the ids it carried; the audit screen downloads them for its record.
    const exported = await page.evaluate(async () => {
      const csrf =
        /(?:^|; )(?:__Host-linkchart-csrf|linkchart_csrf)=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch('/api/exports', {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({
          format: 'json',
          view: {},
          handling: {
            confirmConditions: true,
            justification: 'Check the audit screen lists ids',
            recipient: 'DI Test',
          },
        }),
      });
      return res.status;
    });
    expect(exported).toBe(200);
    await page.getByTestId('audit-actor').fill(SUPERVISOR.name);
    await page.getByTestId('audit-action').selectOption('export');
    await page.getByTestId('audit-search').click();
    const idsButton = page.getByTestId('audit-row').first().getByTestId('audit-ids');
    await idsButton.waitFor();
    await page.screenshot({ path: join(OUT, 'screens-audit-export-ids.png') });
    const [idsFile] = await Promise.all([page.waitForEvent('download'), idsButton.click()]);
    const idLines = readFileSync((await idsFile.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(idLines.length).toBeGreaterThan(10);
    for (const l of idLines) expect(l).toMatch(/^(entity|link|report):\S+$/);
    expect([...idLines].sort()).toEqual(idLines);
    await page.getByTestId('audit-action').selectOption('users.change');
    await page.getByTestId('audit-search').click();
    await page.getByTestId('audit-table').waitFor();
    // Export what matches: a CSV of the supervisor's user changes only.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export-csv').click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^seq,at,actor,action/);
    expect(csv.length).toBeGreaterThanOrEqual(3);
    for (const line of csv.slice(1))
      expect(line).toMatch(new RegExp(`^\\d+,[^,]+,${SUPERVISOR.name},users\\.change,`));

    // Retention: the demo's reports are due; retain the first with a reason and a date, dispose of the next.
    await page.getByTestId('admin-tab-retention').click();
    await page.getByTestId('retention-table').waitFor();
    const count = async () =>
      Number(/^(\d+)/.exec(await page.getByTestId('retention-count').innerText())![1]);
    const due = await count();
    expect(due).toBeGreaterThan(2);
    const first = page.getByTestId('retention-row').first();
    const keptRef = (await first.getAttribute('data-ref'))!;
    await first.getByTestId('retention-retain').click();
    // A reason too short is refused beside the reason, before anything is sent.
    await page.getByTestId('retention-reason').fill('ok');
    await page.getByTestId('retention-confirm').click();
    await page
      .getByTestId('retention-reason-error')
      .getByText(/at least 5 characters/)
      .waitFor();
    await page.getByTestId('retention-reason').fill('Live investigation Op Kestrel still relies on it');
    await page.getByTestId('retention-next').fill('2027-06-30');
    await page.screenshot({ path: join(OUT, 'screens-retention-retain.png') });
    await page.getByTestId('retention-confirm').click();
    await page
      .getByTestId('retention-notice')
      .getByText(`Retained ${keptRef}; next review 2027-06-30.`)
      .waitFor();
    await expect.poll(count).toBe(due - 1);

    const second = page.getByTestId('retention-row').first();
    const goneRef = (await second.getAttribute('data-ref'))!;
    expect(goneRef).not.toBe(keptRef);
    await second.getByTestId('retention-dispose').click();
    await page
      .getByTestId('dispose-warning')
      .getByText(/cannot be undone/)
      .waitFor();
    await page
      .getByTestId('retention-reason')
      .fill('Review period over; no longer necessary or proportionate');
    await page.screenshot({ path: join(OUT, 'screens-retention-dispose.png') });
    await page.getByTestId('retention-confirm').click();
    await page
      .getByTestId('retention-notice')
      .getByText(new RegExp(`^Disposed of ${goneRef}, with`))
      .waitFor();
    await expect.poll(count).toBe(due - 2);

    // Both decisions are in the audit with their reasons; the retained report is no longer due.
    await page.getByTestId('admin-tab-audit').click();
    await page.getByTestId('audit-action').selectOption('retention.retain');
    await page.getByTestId('audit-search').click();
    await page
      .getByTestId('audit-table')
      .getByText(/Live investigation Op Kestrel/)
      .waitFor();
    await page.getByTestId('audit-action').selectOption('retention.dispose');
    await page.getByTestId('audit-search').click();
    await page
      .getByTestId('audit-table')
      .getByText(/no longer necessary or proportionate/)
      .waitFor();
    await page.screenshot({ path: join(OUT, 'screens-audit-retention.png') });
  });

  for (const [width, height] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`fits every dialog on a ${width}x${height} screen`, async () => {
      const { page } = await browser(width, height);
      await signIn(page, server.url, ADMIN.name, ADMIN.password);
      await workIn(page, 'KESTREL');
      // Two people to link, found by name: the link dialog picks them with the entity picker.
      const people = await page.evaluate(async () => {
        const r = await fetch('/api/entities?type=Person&limit=2', { credentials: 'include' });
        return ((await r.json()) as { items: Array<{ id: string; label: string }> }).items;
      });
      const pick = async (testId: string, who: { id: string; label: string }) => {
        await page.getByTestId(`${testId}-search`).fill(who.label);
        await page.getByTestId(`${testId}-hits`).getByText(who.label, { exact: true }).first().click();
        await page.locator(`[data-testid=${testId}-picked][data-entity="${who.id}"]`).waitFor();
      };
      const dialogs: Array<[string, string, () => Promise<void>]> = [
        [
          'entity',
          'entity-dialog',
          async () => {
            await page.getByTestId('draw-menu').click();
            await page.getByRole('menuitem', { name: 'New entity…' }).click();
            // C-coded: the conditions field makes the dialog its tallest.
            await page.getByTestId('report-handling').selectOption('C');
          },
        ],
        [
          'link',
          'link-dialog',
          async () => {
            await page.getByTestId('draw-menu').click();
            await page.getByRole('menuitem', { name: 'New link…' }).click();
            await pick('link-from', people[0]);
            await pick('link-to', people[1]);
            await page.getByTestId('report-handling').selectOption('C');
            // Two people: the dialog offers only the link types that join a person to a person.
            const types = await page.getByTestId('link-type').locator('option').allInnerTexts();
            expect(types.length).toBeGreaterThan(0);
            for (const t of types) expect(t).not.toMatch(/no link type|choose both/);
          },
        ],
        ['charts', 'charts-dialog', () => page.getByTestId('charts-button').click()],
        ['export', 'export-dialog', () => page.getByTestId('export-button').click()],
        [
          'import',
          'import-dialog',
          async () => {
            await page.getByTestId('import-button').click();
            // With a file chosen the dialog is at its tallest: preview, column mapping, grading.
            await page.setInputFiles('[data-testid=import-file]', {
              name: 'calls.csv',
              mimeType: 'text/csv',
              buffer: Buffer.from(
                'Caller,Called,Start,Billed\n' +
                  Array.from(
                    { length: 12 },
                    (_, i) =>
                      `0770090${1000 + i},0770090${2000 + i},2024-03-0${1 + (i % 9)}T10:00:00Z,${30 + i}`,
                  ).join('\n') +
                  '\n',
              ),
            });
            await page.getByTestId('import-preview').locator('tbody tr').first().waitFor();
          },
        ],
        ['password', 'password-dialog', () => accountItem(page, /Change my password/)],
        ['users', 'admin-dialog', () => accountItem(page, 'Users…')],
        ['audit', 'admin-dialog', () => accountItem(page, 'Audit trail…')],
        ['retention', 'admin-dialog', () => accountItem(page, 'Retention review…')],
      ];
      for (const [name, testId, show] of dialogs) {
        await show();
        await page.getByTestId(testId).waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(OUT, `screens-${width}-${name}.png`) });
        await assertFits(page, testId);
        await page.keyboard.press('Escape');
        await page.getByTestId(testId).waitFor({ state: 'detached' });
      }
      // The Cycle's proposal form names its entity with the picker, not an id box.
      await page.getByTestId('cycle-button').click();
      await page.getByTestId('cycle-tab-targets').click();
      await pick('propose-entity', people[0]);
      await page.screenshot({ path: join(OUT, `screens-${width}-cycle-propose.png`) });
    });
  }

  // Last: the accounts it adds would push the others' rows onto a second page.
  it('pages the users by key: Next shows the rest, Previous the first page again', async () => {
    const { page } = await browser();
    await signIn(page, server.url, ADMIN.name, ADMIN.password);
    const made = await page.evaluate(async () => {
      const csrf = document.cookie
        .split(';')
        .map((c) => c.trim().split('='))
        .find(([k]) => k === '__Host-linkchart-csrf' || k === 'linkchart_csrf')?.[1];
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) {
        const r = await fetch('/api/users', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf ?? '') },
          body: JSON.stringify({ name: `paged.viewer${String(i).padStart(3, '0')}`, role: 'viewer' }),
        });
        statuses.push(r.status);
      }
      const all = (await (await fetch('/api/users?limit=1000', { credentials: 'include' })).json()) as {
        total: number;
        items: Array<{ name: string }>;
      };
      return {
        statuses: [...new Set(statuses)],
        total: all.total,
        last: all.items[all.items.length - 1].name,
      };
    });
    expect(made.statuses).toEqual([200]);
    expect(made.last).toBe('paged.viewer099');
    await accountItem(page, 'Users…');
    await page.getByTestId('users-screen').waitFor();
    const pager = page.locator('[data-testid=users-screen] .pager');
    await pager.getByText(`1–100 of ${made.total}`).waitFor();
    expect(await page.getByTestId('user-row').count()).toBe(100);
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText(`101–${made.total} of ${made.total}`).waitFor();
    expect(await page.getByTestId('user-row').count()).toBe(made.total - 100);
    await page.locator('[data-testid=user-row][data-name="paged.viewer099"]').waitFor();
    expect(await pager.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(OUT, 'screens-users-page2.png') });
    await pager.getByRole('button', { name: 'Previous' }).click();
    await pager.getByText(`1–100 of ${made.total}`).waitFor();
    await page.locator(`[data-testid=user-row][data-name="${ADMIN.name}"]`).waitFor();
  });
});

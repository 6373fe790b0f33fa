// The operation forms, end to end (the real server on the demo network, real Chromium): a supervisor
// opens a new operation from the operation menu, is told beside the reference field when it is taken or
// badly formed, and then works in the new one at once; the same form sits in the operation picker. The
// demo analyst is offered no such button. As the owner of KESTREL they add a colleague to it by typing
// part of the name and picking it from the list the server gives (they may not list users themselves).
// A sampled ranking states its accuracy in words with an explanation (the job asked for 200 starting
// points, so the server really samples: the demo network is small enough to rank exactly otherwise).
// Screenshots at 1366x768 and 1920x1080 under test/out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OUT, ROOT, ensureWebBuilt, launch, login, startServer, type Server } from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');
const SUPERVISOR = { name: 'sgt.hollis', password: 'quarry-lantern-minnow-48' };

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

async function shot(page: Page, name: string): Promise<void> {
  const vp = page.viewportSize()!;
  await page.screenshot({ path: join(OUT, `e2e-ops-forms-${name}-${vp.width}.png`) });
}

async function menuLabels(page: Page): Promise<string[]> {
  await page.getByTestId('operation-menu').click();
  const labels = await page.getByRole('menuitem').allTextContents();
  await page.keyboard.press('Escape');
  await page.mouse.click(5, 300);
  return labels;
}

describe.skipIf(!haveChromium)('operation forms (Chromium)', () => {
  let server: Server;
  const closers: Array<() => Promise<void>> = [];
  const errors: string[] = [];
  let analyst: Page;

  async function open(vp: Vp): Promise<Page> {
    const b = await launch(vp);
    closers.push(b.close);
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    return page;
  }

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer(async (db) => {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'server/cli/user.ts'),
          'create',
          SUPERVISOR.name,
          '--role',
          'supervisor',
        ],
        {
          cwd: ROOT,
          env: { ...process.env, LINKCHART_DB: db, LINKCHART_PASSWORD: SUPERVISOR.password },
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

  it('a supervisor opens an operation from the menu: refusals beside the field, then works in it', async () => {
    const sup = await open(SMALL);
    await signIn(sup, server.url, SUPERVISOR.name, SUPERVISOR.password);
    await sup.getByTestId('marking-text').filter({ hasText: 'OP GENERAL' }).waitFor();
    await sup.getByTestId('operation-menu').click();
    await sup.getByRole('menuitem', { name: 'New operation…' }).click();
    const dialog = sup.getByTestId('new-operation-dialog');
    await dialog.waitFor();
    // The marking band stays on top of the dialog.
    expect(await sup.getByTestId('marking-band').isVisible()).toBe(true);

    // A reference already taken: the server's word, beside the reference.
    await sup.getByTestId('new-op-ref').fill('kestrel');
    expect(await sup.getByTestId('new-op-ref').inputValue()).toBe('KESTREL');
    await sup.getByTestId('new-op-name').fill('supplier cell');
    await sup.getByTestId('new-op-save').click();
    const refError = sup.getByTestId('new-op-ref-error');
    await refError.waitFor();
    expect(await refError.textContent()).toBe(
      'An operation KESTREL already exists; choose another reference.',
    );
    expect(await sup.getByTestId('new-op-ref').getAttribute('aria-invalid')).toBe('true');
    await shot(sup, 'taken');

    // A badly formed one: the server's rule, beside the reference.
    await sup.getByTestId('new-op-ref').fill('NIGHT JAR');
    await sup.getByTestId('new-op-save').click();
    await refError.filter({ hasText: /letters, digits, - and _/ }).waitFor();
    expect(await sup.getByTestId('marking-text').textContent()).toContain('OP GENERAL');

    // A name left out is said beside the name, before asking the server.
    await sup.getByTestId('new-op-ref').fill('NIGHTJAR');
    await sup.getByTestId('new-op-name').fill('');
    await sup.getByTestId('new-op-save').click();
    await sup.getByTestId('new-op-name-error').filter({ hasText: 'Give the operation a name' }).waitFor();

    await sup.getByTestId('new-op-name').fill('supplier cell');
    expect(await sup.getByTestId('new-op-closed').isChecked()).toBe(true);
    await sup.getByTestId('new-op-save').click();
    // The app works in the new operation at once: closed, its own band, the dialog gone.
    await sup
      .getByTestId('marking-text')
      .filter({ hasText: 'CLOSED · OP NIGHTJAR · members only' })
      .waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect(await sup.getByTestId('operation-name').textContent()).toBe('supplier cell');
    expect(await sup.getByTestId('marking-band').getAttribute('class')).toContain('closed');
    // They own it, and may manage its members from the menu.
    const labels = await menuLabels(sup);
    expect(labels).toContain('Members of NIGHTJAR…');
    await shot(sup, 'opened');
  });

  it('the same form in the operation picker, at 1920: an open operation', async () => {
    const sup = await open(LARGE);
    await signIn(sup, server.url, SUPERVISOR.name, SUPERVISOR.password);
    // Remembered from the last sign-in in this browser? A new browser: GENERAL or the one they own.
    await sup.getByTestId('marking-band').waitFor();
    await sup.getByTestId('operation-menu').click();
    await sup.getByRole('menuitem', { name: 'All my operations…' }).click();
    await sup.getByTestId('op-picker').waitFor();
    await sup.getByTestId('op-picker-new').click();
    await sup.getByTestId('new-operation').waitFor();
    await sup.getByTestId('new-op-ref').fill('waxwing');
    await sup.getByTestId('new-op-name').fill('vehicle thefts');
    await sup.getByTestId('new-op-open').check();
    await shot(sup, 'picker-form');
    await sup.getByTestId('new-op-save').click();
    await sup.getByTestId('marking-text').filter({ hasText: 'OP WAXWING · open to the force' }).waitFor();
    await sup.getByTestId('op-picker').waitFor({ state: 'detached' });
    // And at 1920, the menu's dialog with a refusal beside the field.
    await sup.getByTestId('operation-menu').click();
    await sup.getByRole('menuitem', { name: 'New operation…' }).click();
    await sup.getByTestId('new-op-ref').fill('WAXWING');
    await sup.getByTestId('new-op-name').fill('again');
    await sup.getByTestId('new-op-save').click();
    await sup.getByTestId('new-op-ref-error').filter({ hasText: 'already exists' }).waitFor();
    await shot(sup, 'taken');
    await sup.getByTestId('new-op-cancel').click();
    await sup.getByTestId('new-operation-dialog').waitFor({ state: 'detached' });
  });

  it('an analyst is offered no "New operation…", in the menu or the picker', async () => {
    analyst = await open(SMALL);
    await login(analyst, server);
    await analyst.getByTestId('marking-text').filter({ hasText: 'OP KESTREL' }).waitFor();
    const labels = await menuLabels(analyst);
    expect(labels).toContain('All my operations…');
    expect(labels).not.toContain('New operation…');
    await analyst.getByTestId('operation-menu').click();
    await analyst.getByRole('menuitem', { name: 'All my operations…' }).click();
    await analyst.getByTestId('op-picker').waitFor();
    expect(await analyst.getByTestId('op-picker-new').count()).toBe(0);
    // The open operation just made is listed to them; the closed one is not.
    const refs = await analyst
      .locator('[data-testid=op-row]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ref')));
    expect(refs).toContain('WAXWING');
    expect(refs).not.toContain('NIGHTJAR');
    await analyst.getByTestId('op-picker-cancel').click();
    await analyst.getByTestId('op-picker').waitFor({ state: 'detached' });
  });

  it('the owner of KESTREL adds a colleague by picking a name the server offers', async () => {
    const page = analyst;
    // They may not list users (a supervisor's screen)...
    const users = await page.evaluate(async () => (await fetch('/api/users')).status);
    expect(users).toBe(403);
    // ...but the members screen finds colleagues for them.
    await page.getByTestId('operation-menu').click();
    await page.getByRole('menuitem', { name: 'Members of KESTREL…' }).click();
    await page.getByTestId('members-screen').waitFor();
    await page.getByTestId('member-name').click();
    await page.getByTestId('member-name').pressSequentially('s', { delay: 30 });
    // The list answers what is typed (data-for), not an earlier answer.
    await page.locator('[data-testid=member-hits][data-for="s"]').waitFor();
    const offered = await page
      .locator('[data-testid=member-hit]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-user')));
    // Names holding "s", those starting with it first; the members (demo) never offered.
    expect(offered).toContain(SUPERVISOR.name);
    expect(offered).not.toContain(server.user);
    expect(offered.indexOf(SUPERVISOR.name)).toBeLessThan(offered.indexOf('dsmith'));
    await shot(page, 'member-picker');
    await page.getByTestId('member-name').pressSequentially('m', { delay: 30 });
    await page.locator('[data-testid=member-hits][data-for="sm"]').waitFor();
    expect(
      await page
        .locator('[data-testid=member-hit]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-user'))),
    ).toEqual(['dsmith']);
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('member-name').inputValue()).toBe('dsmith');
    await page.getByTestId('member-role').selectOption('viewer');
    await page.getByTestId('member-add').click();
    const row = page.locator('[data-testid=member-row][data-user=dsmith]');
    await row.waitFor();
    expect(await row.locator('select').inputValue()).toBe('viewer');
    expect(await page.getByTestId('member-name').inputValue()).toBe('');
    // Now a member: no longer offered.
    await page.getByTestId('member-name').pressSequentially('dsm', { delay: 30 });
    await page.getByTestId('member-hits').filter({ hasText: 'No one else is named like' }).waitFor();
    await page.getByTestId('member-name').fill('');
    await page.getByTestId('members-close').click();
  });

  it('at 1920 the members screen lists the colleagues the owner may add', async () => {
    const page = await open(LARGE);
    await login(page, server);
    await page.getByTestId('marking-text').filter({ hasText: 'OP KESTREL' }).waitFor();
    await page.getByTestId('operation-menu').click();
    await page.getByRole('menuitem', { name: 'Members of KESTREL…' }).click();
    await page.getByTestId('member-name').click();
    await page.locator('[data-testid=member-hit]').first().waitFor();
    await shot(page, 'member-picker');
    await page.getByTestId('members-close').click();
  });

  it("the supervisor's audit filter names the operations' actions and finds their openings", async () => {
    const sup = await open(SMALL);
    await signIn(sup, server.url, SUPERVISOR.name, SUPERVISOR.password);
    // They own two operations now: a new browser asks which to work in.
    await sup.getByTestId('op-picker').waitFor();
    await sup.locator('[data-testid=op-row][data-ref=NIGHTJAR]').click();
    await sup.getByTestId('op-picker').waitFor({ state: 'detached' });
    await sup.getByTestId('account-menu').click();
    await sup.getByRole('menuitem', { name: 'Audit trail…' }).click();
    await sup.getByTestId('audit-screen').waitFor();
    const offered = await sup
      .getByTestId('audit-action')
      .locator('option')
      .evaluateAll((els) => els.map((e) => [(e as HTMLOptionElement).value, e.textContent]));
    const words = new Map(offered as Array<[string, string]>);
    expect(words.get('operation.create')).toBe('Opened an operation');
    expect(words.get('operation.member')).toBe('Added a member or changed their role');
    expect(words.get('deconfliction.decide')).toBe('Acted on a deconfliction notice');
    expect(words.get('duplicates.accept')).toBe('Accepted a likely duplicate');
    expect(words.get('target.propose')).toBe('Proposed a target');
    await sup.getByTestId('audit-action').selectOption('operation.create');
    await sup.getByTestId('audit-search').click();
    const rows = sup.getByTestId('audit-row');
    await expect
      .poll(async () =>
        (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).join(),
      )
      .toMatch(/^operation\.create(,operation\.create)+$/);
    // The two it opened, and the three refused (KESTREL and WAXWING taken, NIGHT JAR badly formed).
    const outcomes = await rows.evaluateAll((els) =>
      els.map((e) => e.querySelectorAll('td')[3]?.textContent ?? ''),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
    expect(outcomes.filter((o) => o !== 'ok')).toHaveLength(3);
    // Each row names the action in words, not its code.
    expect(await rows.first().textContent()).toContain('Opened an operation');
    await shot(sup, 'audit-filter');
  });

  it('a sampled ranking says its accuracy in words, explained on hover', async () => {
    const page = analyst;
    // The demo ranks exactly; asking the job for 200 starting points makes the server sample.
    await page.route('**/api/analysis/jobs', async (route) => {
      const body = route.request().postDataJSON() as { request?: { metric?: string; k?: number } };
      if (route.request().method() === 'POST' && body.request?.metric?.startsWith('betweenness')) {
        body.request.k = 200;
        await route.continue({ postData: JSON.stringify(body) });
      } else await route.continue();
    });
    await page.click('[data-testid=tab-rankings]');
    await page.selectOption('[data-testid=metric]', 'betweenness');
    await page.click('[data-testid=run-metric]');
    const bound = page.getByTestId('rank-bound');
    await bound.waitFor({ timeout: 60_000 });
    expect(await bound.textContent()).toMatch(
      /^Sampled from 200 starting points: scores ±0\.\d+ at 95% confidence$/,
    );
    const tip = (await bound.getAttribute('title')) ?? '';
    expect(tip).toContain('counted from 200 starting points chosen at random');
    expect(tip).toContain('With 95% confidence every score is within ±');
    expect(tip).not.toMatch(/\de-\d/);
    // Clicked, the explanation is spelt out under the ranking's description.
    await bound.click();
    const detail = page.getByTestId('rank-bound-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toBe(tip);
    await shot(page, 'sampled-ranking');
    await page.setViewportSize(LARGE);
    await page.waitForTimeout(400);
    await shot(page, 'sampled-ranking');
    await page.setViewportSize(SMALL);
    await page.unroute('**/api/analysis/jobs');
    expect(errors).toEqual([]);
  });
});

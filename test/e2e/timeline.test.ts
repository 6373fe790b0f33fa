// The timeline end to end: real server over the demo network, real Chromium at 1366x768 and 1920x1080.
// The analyst imports a call data file for five of the demo's people (every call kept as an event),
// selects the five on the chart, and sees one theme line per person with their calls; the time bar's
// histogram counts them and its brush filters the chart; the call pattern and "contacts around an event"
// answer with the counts made from the file below; a CALLED link lists its calls page by page.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  OUT,
  ensureWebBuilt,
  launch,
  login,
  nodeScreenPosition,
  startServer,
  type Server,
} from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');
/**
 * The arrest day of the demo (seed/generate.ts ARREST_DAY), 04:00 UTC: the demo's own calls fall between
 * 06:00 and 01:59 (seed/calls.ts), so two hours before and one after hold only the file's calls.
 */
const INCIDENT = '2024-07-01T04:00';
const MIN = 60_000;

interface Person {
  id: string;
  label: string;
  phone: string;
  phoneId: string;
}

/**
 * The call file: 40 calls spread over the year between the five (person i calls person i+1 and i+2 in
 * turn), and around the incident person 0 calls 1 twice and 2 once and 1 calls back, with one more call
 * to 3 three hours before; on a night in November 0 calls 1 eighteen times. Times are chosen off the yearly calls' days so the window holds only these.
 */
function callFile(p: Person[]): { csv: string; calls: number } {
  const rows: string[] = ['Caller,Callee,Start,Duration'];
  const at = (ms: number): string => new Date(ms).toISOString().replace('.000', '');
  const year = Date.UTC(2024, 0, 3, 9);
  for (let i = 0; i < 40; i++) {
    const a = p[i % 5];
    const b = p[(i + 1 + (i % 2)) % 5];
    rows.push(`${a.phone},${b.phone},${at(year + i * 9 * 86_400_000 + (i % 10) * 3_600_000)},${30 + i}`);
  }
  const t0 = Date.parse(`${INCIDENT}:00Z`);
  rows.push(`${p[0].phone},${p[1].phone},${at(t0 + 10 * MIN)},65`);
  rows.push(`${p[0].phone},${p[2].phone},${at(t0 + 25 * MIN)},20`);
  rows.push(`${p[1].phone},${p[0].phone},${at(t0 + 50 * MIN)},140`);
  rows.push(`${p[0].phone},${p[1].phone},${at(t0 + 40 * MIN)},35`);
  rows.push(`${p[0].phone},${p[3].phone},${at(t0 - 180 * MIN)},50`);
  // A busy night in November: more calls from 0 to 1 than one page of the link's list holds.
  const nov = Date.UTC(2024, 10, 14, 18);
  for (let i = 0; i < 18; i++) rows.push(`${p[0].phone},${p[1].phone},${at(nov + i * 20 * MIN)},${10 + i}`);
  return { csv: rows.join('\n'), calls: rows.length - 1 };
}

describe.skipIf(!haveChromium)('timeline (Chromium)', () => {
  let server: Server;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const errors: string[] = [];
  let people: Person[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer();
    const b = await launch({ width: 1366, height: 768 });
    closeBrowser = b.close;
    page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    // The whole view asks before adding hundreds of entities: yes.
    page.on('dialog', (d) => void d.accept());
    await login(page, server);
  }, 240_000);
  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  /** Every call the events API lists for `filter` (page by page): what a hand count is made from. */
  const callsOf = (filter: Record<string, unknown>) =>
    page.evaluate(async (f) => {
      const csrf = document.cookie
        .split(';')
        .map((c) => c.trim().split('='))
        .find(([k]) => k === '__Host-linkchart-csrf' || k === 'linkchart_csrf')?.[1];
      const out: Array<{ at: string; fromId: string; toId: string; linkId: string }> = [];
      let after: string | null = null;
      do {
        const r = await fetch('/api/events/query', {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf ?? '') },
          body: JSON.stringify({ ...f, kinds: ['call'], limit: 5000, ...(after ? { after } : {}) }),
        });
        const page = (await r.json()) as { events: typeof out; next: string | null };
        out.push(...page.events);
        after = page.next;
      } while (after);
      return out;
    }, filter);
  /** A person's phones, as the call pattern takes them (the phones they use). */
  const phonesOf = (id: string) =>
    page.evaluate(async (person) => {
      const r = await fetch(`/api/links?type=USES&entityId=${encodeURIComponent(person)}&limit=200`);
      const links = ((await r.json()) as { items: Array<{ from: string; to: string }> }).items;
      const out: string[] = [];
      for (const l of links.filter((x) => x.from === person)) {
        const e = (await (await fetch(`/api/entities/${encodeURIComponent(l.to)}`)).json()) as {
          type: string;
        };
        if (e.type === 'Phone') out.push(l.to);
      }
      return out;
    }, id);

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(OUT, name) });
  };

  /** Selects entities as the analyst does: click the first, shift-click the rest, each brought into view. */
  const selectPeople = async (ids: string[]): Promise<void> => {
    for (const [i, id] of ids.entries()) {
      await page.evaluate((n) => window.__linkchart!.focus(n), id);
      await page.waitForTimeout(700);
      const at = await nodeScreenPosition(page, id);
      if (i) await page.keyboard.down('Shift');
      await page.mouse.click(at.x, at.y);
      if (i) await page.keyboard.up('Shift');
    }
  };

  it('imports a call file for five people on the chart and draws their theme lines', async () => {
    // The demo opens on its most central people; five of them, each with a phone they use.
    await page.click('[data-testid=load-demo]');
    await page.waitForFunction(() => (window.__linkchart?.graph.order ?? 0) > 0, null, { timeout: 60_000 });
    await page.waitForSelector('[data-testid=job]', { state: 'detached', timeout: 60_000 });
    people = await page.evaluate(async () => {
      const g = window.__linkchart!.graph;
      const ranked = g
        .filterNodes((_n, a) => a.etype === 'Person')
        .sort((x, y) => g.degree(y) - g.degree(x) || (x < y ? -1 : 1));
      const out: Array<{ id: string; label: string; phone: string; phoneId: string }> = [];
      for (const id of ranked) {
        const r = await fetch(`/api/links?type=USES&entityId=${encodeURIComponent(id)}&limit=50`);
        const links = ((await r.json()) as { items: Array<{ from: string; to: string }> }).items;
        for (const l of links.filter((x) => x.from === id)) {
          const e = (await (await fetch(`/api/entities/${encodeURIComponent(l.to)}`)).json()) as {
            type: string;
            key: string;
          };
          if (e.type !== 'Phone' || out.some((p) => p.phoneId === l.to)) continue;
          out.push({ id, label: String(g.getNodeAttribute(id, 'label')), phone: e.key, phoneId: l.to });
          break;
        }
        if (out.length === 5) break;
      }
      return out;
    });
    expect(people).toHaveLength(5);
    const file = callFile(people);
    const imported = await page.evaluate(async (csv) => {
      const csrf = document.cookie
        .split(';')
        .map((c) => c.trim().split('='))
        .find(([k]) => k === '__Host-linkchart-csrf' || k === 'linkchart_csrf')?.[1];
      const r = await fetch('/api/imports?format=cdr', {
        method: 'POST',
        credentials: 'include',
        headers: {
          // Written in the operation the page works in, as the app itself writes.
          ...Object.fromEntries(
            Object.keys(localStorage)
              .filter((k) => k.startsWith('linkchart.operation.'))
              .slice(0, 1)
              .map((k) => ['x-linkchart-operation', localStorage.getItem(k)!]),
          ),
          'content-type': 'text/csv',
          'x-csrf-token': decodeURIComponent(csrf ?? ''),
        },
        body: csv,
      });
      return { status: r.status, body: (await r.json()) as { rowsRead: number; rowsRejected: number } };
    }, file.csv);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ rowsRead: file.calls, rowsRejected: 0 });
    // Now the whole view, with the imported calls' links.
    await page.click('[data-testid=expand-menu]');
    await page.click('text=Whole view (all the filters let through)…');
    await page.waitForFunction(() => (window.__linkchart?.graph.order ?? 0) > 100, null, { timeout: 60_000 });
    await page.waitForSelector('[data-testid=job]', { state: 'detached', timeout: 60_000 });

    await selectPeople(people.map((p) => p.id));
    expect((await page.evaluate(() => window.__linkchart!.selectedIds())).sort()).toEqual(
      people.map((p) => p.id).sort(),
    );

    await page.click('[data-testid=timeline-toggle]');
    await page.waitForSelector('[data-testid=timeline-line]');
    const lines = await page.$$eval('[data-testid=timeline-line]', (els) =>
      els.map((e) => ({ text: e.textContent ?? '', events: Number(e.getAttribute('data-events')) })),
    );
    expect(lines).toHaveLength(5);
    for (const [i, l] of lines.entries()) {
      expect(l.text).toContain(people[i].label);
      // Each person makes or takes at least 16 of the 40 yearly calls.
      expect(l.events).toBeGreaterThanOrEqual(16);
    }
    const summary = await page.textContent('[data-testid=timeline-summary]');
    // At least the 45 calls of the file join two of these lines (the demo may hold more of their calls).
    const between = Number(/\((\d+) between these lines\)/.exec(summary ?? '')?.[1]);
    expect(between).toBeGreaterThanOrEqual(45);
    await shot('timeline-lines-1366.png');
  }, 240_000);

  it('clicking a call shows its record', async () => {
    // Fit, then click where the first line's calls are drawn: scan along the line for a call.
    const box = (await page.locator('[data-testid=timeline-canvas]').boundingBox())!;
    const y = await page.$eval('[data-testid=timeline-line]', (e) => {
      const r = e.getBoundingClientRect();
      return r.top + r.height / 2;
    });
    for (let x = box.x + 2; x < box.x + box.width; x += 3) {
      await page.mouse.click(x, y);
      if (await page.$('[data-testid=event-record]')) break;
    }
    const record = await page.textContent('[data-testid=event-record]');
    expect(record).toMatch(/Call/);
    expect(record).toMatch(/Duration/);
  });

  it('the time bar counts the activity and its brush filters the chart', async () => {
    await page.waitForSelector('[data-testid=histogram] rect.bar-calls');
    const bars = await page.$$eval('[data-testid=histogram] rect.bar-calls', (r) => r.length);
    expect(bars).toBeGreaterThan(5);
    expect(await page.textContent('[data-testid=timebar-summary]')).toMatch(/calls/);
    const before = await page.evaluate(() => window.__linkchart!.visibleNodeIds().length);
    const h = (await page.locator('[data-testid=histogram]').boundingBox())!;
    // Brush the first quarter of the year.
    await page.mouse.move(h.x + 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + h.width * 0.15, h.y + h.height / 2, { steps: 5 });
    await page.mouse.move(h.x + h.width * 0.25, h.y + h.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid=timebar-clear]');
    const after = await page.evaluate(() => window.__linkchart!.visibleNodeIds().length);
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(0);
    // The left panel's time window (the same filter) moved with it.
    expect(await page.textContent('[data-testid=left-panel]')).not.toContain('2024-01-01 → 2024-12-31');
    // The chart's call links are counted again from the calls inside the window, once the server has.
    await page.waitForFunction(() => {
      const g = window.__linkchart!.graph;
      return g.someEdge((_e, a) => a.ltype === 'CALLED' && a.windowKey !== undefined);
    });
    const onChart = await page.evaluate(() => {
      const c = window.__linkchart!;
      const g = c.graph;
      const called = g.filterEdges((_e, a) => a.ltype === 'CALLED');
      const facts = called.map((e) => {
        const a = g.getEdgeAttributes(e);
        const all = a.allCounts as { weight: number };
        return {
          id: e,
          weight: Number(a.weight),
          all: all.weight,
          shown: c.isEdgeVisible(e),
          key: String(a.windowKey),
        };
      });
      // The busiest link in the window among those with calls outside it too, and one with none inside.
      const inside = facts
        .filter((f) => f.shown && f.weight < f.all)
        .sort((x, y) => y.weight - x.weight || (x.id < y.id ? -1 : 1));
      const gone = facts.filter(
        (f) => !f.shown && c.isNodeVisible(g.source(f.id)) && c.isNodeVisible(g.target(f.id)),
      );
      return { inside: inside[0] ?? null, gone: gone[0] ?? null, key: facts[0].key };
    });
    expect(onChart.inside).toBeTruthy();
    const [from, to] = onChart.key.split('..').map(Number);
    const inWindow = (calls: Array<{ at: string }>) =>
      calls.filter((e) => Date.parse(e.at) >= from && Date.parse(e.at) <= to).length;
    // Hand count: the link's calls listed one by one, those whose time is inside the window.
    const mine = await callsOf({ linkIds: [onChart.inside!.id] });
    expect(onChart.inside!.weight).toBe(inWindow(mine));
    expect(onChart.inside!.all).toBe(mine.length);
    expect(onChart.inside!.weight).toBeGreaterThan(0);
    // A call link whose two ends are still shown but none of whose calls is in the window is gone.
    if (onChart.gone) expect(inWindow(await callsOf({ linkIds: [onChart.gone.id] }))).toBe(0);
    // The call links' labels say the window's counts.
    await page.evaluate(() => window.__linkchart!.setLinkTypeLabels('CALLED', true));
    await page.waitForTimeout(500);
    await shot('timeline-brush-1366.png');
    await page.evaluate(() => window.__linkchart!.setLinkTypeLabels('CALLED', false));
    await page.click('[data-testid=timebar-clear]');
    await page.waitForFunction((n) => window.__linkchart!.visibleNodeIds().length === n, before);
    // Cleared, each link shows its whole count again.
    expect(
      await page.evaluate(
        (id) => window.__linkchart!.graph.getEdgeAttribute(id, 'weight'),
        onChart.inside!.id,
      ),
    ).toBe(onChart.inside!.all);
  });

  it('answers who was in contact around the incident', async () => {
    // Only the first person selected: their contacts.
    await page.evaluate((id) => window.__linkchart!.focus(id), people[0].id);
    await page.waitForTimeout(700);
    const at = await nodeScreenPosition(page, people[0].id);
    await page.mouse.click(at.x, at.y);
    await page.click('[data-testid=timeline-tab-around]');
    await page.fill('[data-testid=around-at]', INCIDENT);
    await page.fill('[data-testid=around-before]', '2');
    await page.fill('[data-testid=around-after]', '1');
    await page.click('[data-testid=around-ask]');
    await page.waitForSelector('[data-testid=around-answer]');
    const summary = await page.textContent('[data-testid=around-summary]');
    const rows = await page.$$eval('[data-testid=around-contact]', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    // From the file: 0 called 1 twice and 1 called back (3 calls), 0 called 2 once; the call to 3 was
    // three hours before. The demo's own calls are never at that hour, so nothing else falls in the window.
    expect(summary).toContain(`${people[0].label}: 4 calls with 2 contacts`);
    expect(rows.map((r) => [r[2], r[3], r[4], r[5]])).toEqual([
      [people[1].label, '3', '0 / 3', '2 / 1'],
      [people[2].label, '1', '0 / 1', '1 / 0'],
    ]);
    await shot('timeline-around-1366.png');
  });

  it('shows the call pattern of the pair', async () => {
    await page.evaluate((id) => window.__linkchart!.focus(id), people[1].id);
    await page.waitForTimeout(700);
    const at = await nodeScreenPosition(page, people[1].id);
    await page.keyboard.down('Shift');
    await page.mouse.click(at.x, at.y);
    await page.keyboard.up('Shift');
    await page.click('[data-testid=timeline-tab-pattern]');
    expect(await page.evaluate(() => window.__linkchart!.selectedIds())).toEqual([
      people[0].id,
      people[1].id,
    ]);
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid=pattern-title]')?.textContent?.includes(t),
      `${people[0].label} and ${people[1].label}`,
    );
    const calls = Number(/^(\d+)/.exec((await page.textContent('[data-testid=pattern-calls]')) ?? '')?.[1]);
    // Every call of the file between the two, either way: 4 in the year, 3 around the incident, 18 in
    // November; and the demo's own calls between their phones, counted by hand from the calls listed.
    const fromFile = callFile(people)
      .csv.split('\n')
      .filter((r) => {
        const [a, b] = r.split(',');
        const pair = [people[0].phone, people[1].phone];
        return a !== b && pair.includes(a) && pair.includes(b);
      }).length;
    expect(fromFile).toBe(25);
    const [a, b] = [new Set(await phonesOf(people[0].id)), new Set(await phonesOf(people[1].id))];
    const listed = (await callsOf({ entityIds: [...a] })).filter(
      (e) => (a.has(e.fromId) && b.has(e.toId)) || (b.has(e.fromId) && a.has(e.toId)),
    ).length;
    expect(listed).toBeGreaterThanOrEqual(fromFile);
    expect(calls).toBe(listed);
    const hourBars = await page.$$eval('[data-testid=pattern-hours] rect', (r) =>
      r.reduce((n, x) => n + Number(x.getAttribute('data-count')), 0),
    );
    expect(hourBars).toBe(calls);
    await shot('timeline-pattern-1366.png');
  });

  it('fits 1920x1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await selectPeople(people.map((p) => p.id));
    await page.click('[data-testid=timeline-tab-lines]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=timeline-line]').length === 5);
    await page.waitForTimeout(300);
    await shot('timeline-lines-1920.png');
  });

  it('follows betweenness month by month (rise and fall)', async () => {
    await page.click('[data-testid=timeline-tab-rise]');
    await page.click('[data-testid=rise-run]');
    await page.waitForSelector('[data-testid=rise-chart]', { timeout: 150_000 });
    // One line per selected person, a point per month of the demo year.
    const series = await page.$$eval('[data-testid=rise-chart] g[data-series]', (g) =>
      g.map((x) => x.querySelectorAll('circle').length),
    );
    expect(series).toEqual([12, 12, 12, 12, 12]);
    await shot('timeline-rise-1920.png');
    expect(errors).toEqual([]);
  }, 180_000);

  it('a CALLED link lists its calls, page by page', async () => {
    // The link from person 0's phone to person 1's: 8 yearly calls... (at least the file's 4 of that way).
    const link = await page.evaluate(
      ([a, b]) => {
        const g = window.__linkchart!.graph;
        return g.outEdges(a, b).find((e) => g.getEdgeAttribute(e, 'ltype') === 'CALLED') ?? null;
      },
      [people[0].phoneId, people[1].phoneId],
    );
    expect(link).toBeTruthy();
    // The analyst clears the chart down to the two phones and fits it: their links both ways are the
    // two curves between them.
    await page.evaluate(
      ([a, b]) => {
        const c = window.__linkchart!;
        c.removeNodes(c.graph.filterNodes((n) => n !== a && n !== b));
        c.sigma!.refresh();
      },
      [people[0].phoneId, people[1].phoneId],
    );
    await page.waitForTimeout(500);
    await page.keyboard.press('f');
    await page.waitForTimeout(900);
    await page.waitForTimeout(900);
    const pa = await nodeScreenPosition(page, people[0].phoneId);
    const pb = await nodeScreenPosition(page, people[1].phoneId);
    // Calls both ways are drawn as two curves either side of the straight line: click across it until a
    // called link is selected.
    const len = Math.hypot(pb.x - pa.x, pb.y - pa.y);
    const [nx, ny] = [-(pb.y - pa.y) / len, (pb.x - pa.x) / len];
    const mid = { x: (pa.x + pb.x) / 2, y: (pa.y + pb.y) / 2 };
    const phoneLabel = (id: string) =>
      page.evaluate((n) => String(window.__linkchart!.graph.getNodeAttribute(n, 'label')), id);
    await page.click('[data-testid=tab-details]');
    const offsets = Array.from({ length: 51 }, (_v, i) => (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 4);
    for (const k of offsets) {
      await page.mouse.click(mid.x + nx * k, mid.y + ny * k);
      // The details show once the link is read from the server.
      await page.waitForTimeout(500);
      const h = await page.$('[data-testid=details] h2');
      if (h && (await h.textContent()) === 'called') {
        const from = await page.$eval('[data-testid=details] dl.kv dd', (d) => d.textContent ?? '');
        if (from === (await phoneLabel(people[0].phoneId))) break;
      }
    }
    await shot('timeline-link-calls-1366.png');
    await page.waitForSelector('[data-testid=link-call]');
    expect(await page.$eval('[data-testid=details] dl.kv dd', (d) => d.textContent ?? '')).toBe(
      await phoneLabel(people[0].phoneId),
    );
    const fromFile = callFile(people)
      .csv.split('\n')
      .slice(1)
      .filter((r) => r.startsWith(`${people[0].phone},${people[1].phone},`)).length;
    // 24 calls from 0 to 1 in the file (4 in the year, 2 around the incident, 18 in November), and the
    // demo's own calls on that link: a page of 20, then the next page, and back.
    expect(fromFile).toBe(24);
    const expected = (await callsOf({ linkIds: [link!] })).length;
    expect(expected).toBeGreaterThanOrEqual(fromFile);
    const rows = await page.$$eval('[data-testid=link-call]', (r) => r.length);
    expect(rows).toBe(20);
    await shot('timeline-link-calls-1366.png');
    {
      const second = Math.min(20, expected - 20);
      await page.click('[data-testid=link-calls-next]');
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid=link-call]').length === n,
        second,
      );
      expect(await page.textContent('[data-testid=link-calls] h3')).toContain(`21–${20 + second}`);
      await page.click('text=‹ Earlier page');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=link-call]').length === 20);
    }
    expect(errors).toEqual([]);
  }, 120_000);
});

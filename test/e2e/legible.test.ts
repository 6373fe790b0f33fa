// A chart that reads like a briefing, and handling on every picture (issue 15, items 6 and 7), end to end:
// the real server with the demo network, real Chromium. The demo chart is checked at 1366x768 and
// 1920x1080, as it opens, with the top-ranked person selected, and in the community layout: no two labels
// drawn overlap, the top-ranked entities are labelled, the legend names every colour on the chart and the
// measure sizing the nodes with its range, and the community layout leaves members readable. The PNG and
// SVG exports ask for the same C-code confirmation as the PDF, and carry the marking, the conditions and
// the legend. Screenshots go to test/out/legible-*.png.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import Database from 'better-sqlite3';
import {
  OUT,
  ensureWebBuilt,
  launch,
  loadDemoWholeView,
  login,
  startServer,
  type Server,
} from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
interface Placed {
  key: string;
  kind: 'node' | 'link';
  text: string;
  box: Box;
}

/** Pairs of drawn labels whose boxes overlap (should be none). */
function overlaps(labels: Placed[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i].box;
      const b = labels[j].box;
      if (a.x1 < b.x2 && a.x2 > b.x1 && a.y1 < b.y2 && a.y2 > b.y1)
        out.push(`${labels[i].text} / ${labels[j].text}`);
    }
  return out;
}

describe.skipIf(!haveChromium)('a legible chart and handled pictures (Chromium)', () => {
  let server: Server;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const errors: string[] = [];

  const labels = (): Promise<Placed[]> =>
    page.evaluate(() => (window.__linkchart!.lastLabels as unknown as Placed[]).map((l) => ({ ...l })));
  /** Waits for the chart to draw a frame after everything settled. */
  // A busy machine can hold the page's frames back past the wait: the checks read the chart once nodes and
  // camera have stopped where the layout or fit sends them, not part way there.
  const settle = async (ms = 700): Promise<void> => {
    await page.waitForTimeout(ms);
    await page.waitForFunction(() => !window.__linkchart!.animating(), null, { timeout: 20_000 });
    await page.evaluate(() => window.__linkchart!.sigma!.refresh());
  };
  const shot = (name: string) => page.screenshot({ path: join(OUT, `legible-${name}.png`) });

  /** Colours of the nodes drawn (not faded), and the colours the legend lists. */
  const colours = () =>
    page.evaluate(() => {
      const c = window.__linkchart!;
      const drawn = new Set<string>();
      c.graph.forEachNode((n) => {
        const d = c.sigma!.getNodeDisplayData(n);
        if (d && !d.hidden) drawn.add(d.color.toLowerCase());
      });
      const legend = [...document.querySelectorAll('[data-testid=legend-colour] li')].map((li) =>
        (li.getAttribute('data-colour') ?? '').toLowerCase(),
      );
      return { drawn: [...drawn], legend };
    });

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer();
    const b = await launch({ width: 1366, height: 768 });
    closeBrowser = b.close;
    page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await login(page, server);
    await loadDemoWholeView(page);
    await page.waitForSelector('[data-testid=job]', { state: 'detached', timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  it('labels the demo chart without overlaps, the top-ranked always, with a colour and size legend', async () => {
    await page.click('[data-testid=tab-rankings]');
    await page.selectOption('[data-testid=metric]', 'betweenness');
    await page.click('[data-testid=run-metric]');
    await page.waitForSelector('[data-testid=rankings] tbody tr', { timeout: 60_000 });
    await page.evaluate(() => window.__linkchart!.fit());
    await settle();
    for (const [w, h] of [
      [1366, 768],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.evaluate(() => window.__linkchart!.fit());
      await settle();
      await shot(`default-${w}`);
      const placed = await labels();
      expect(overlaps(placed)).toEqual([]);
      // Enough of the chart is named to read it. (More than 25 before the operation's marking band took 26 px
      // of the chart's height at 1366x768; 22 placed there since.)
      expect(placed.filter((l) => l.kind === 'node').length).toBeGreaterThan(20);
      // The ten entities ranked highest by the measure sizing the nodes are all labelled.
      const top = await page.evaluate(() => {
        const c = window.__linkchart!;
        return c.graph
          .filterNodes((n) => c.isNodeVisible(n))
          .map((n) => [n, c.graph.getNodeAttribute(n, 'size') as number] as const)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 10)
          .map(([n]) => n);
      });
      const named = new Set(placed.filter((l) => l.kind === 'node').map((l) => l.key));
      for (const id of top) expect(named.has(id), `top-ranked ${id} labelled`).toBe(true);
      // Every colour on the chart is in the legend, and size names the measure and its range.
      const c = await colours();
      for (const col of c.drawn) expect(c.legend).toContain(col);
      expect(await page.textContent('[data-testid=legend-size]')).toContain('Betweenness');
      const range = await page.evaluate(() => {
        const c = window.__linkchart!;
        const v = c.legend().size!;
        return [v.min, v.max];
      });
      expect(range[1]).toBeGreaterThan(range[0]);
      expect(await page.textContent('[data-testid=legend-size-max]')).toBeTruthy();
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('labels the selection and its links on selection, hover and by link type, still without overlaps', async () => {
    await page.click('[data-testid=rankings] tbody tr:first-child');
    await settle(900);
    let placed = await labels();
    const sel = await page.evaluate(() => window.__linkchart!.selectedIds());
    expect(sel.length).toBe(1);
    expect(placed.some((l) => l.kind === 'node' && l.key === sel[0])).toBe(true);
    const links = placed.filter((l) => l.kind === 'link');
    expect(links.length).toBeGreaterThan(0);
    // A link label names its type (and for calls the count and months).
    expect(links[0].text).toMatch(/^[a-z ]+/);
    expect(overlaps(placed)).toEqual([]);
    await shot('selection-1366');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await settle();
    expect(overlaps(await labels())).toEqual([]);
    await shot('selection-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    // Labels for every link of one type, chosen in the legend.
    await page.click('[data-testid=tab-details]');
    await page.keyboard.press('Escape');
    await page.evaluate(() => window.__linkchart!.fit());
    const type = await page.evaluate(() => {
      const c = window.__linkchart!;
      return c.graph.getEdgeAttribute(c.graph.edges()[0], 'ltype') as string;
    });
    await page.click('[data-testid=legend-links-toggle]');
    await page.check(`[data-testid=label-links-${type}]`);
    await settle();
    placed = await labels();
    expect(placed.filter((l) => l.kind === 'link').length).toBeGreaterThan(3);
    expect(overlaps(placed)).toEqual([]);
    await shot('link-labels-1366');
    await page.uncheck(`[data-testid=label-links-${type}]`);
    // Folded again as it was: an open legend is taller, and the chart is fitted beside it.
    await page.click('[data-testid=legend-links-toggle]');
  });

  it('lays communities out readably, every community in the legend, labels not piled up', async () => {
    await page.click('[data-testid=tab-communities]');
    await page.click('[data-testid=run-communities]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=legend-colour] li').length > 2);
    await page.click('button:has-text("By community")');
    await settle(1500);
    for (const [w, h] of [
      [1366, 768],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.evaluate(() => window.__linkchart!.fit());
      await settle();
      await shot(`community-${w}`);
      const placed = await labels();
      expect(overlaps(placed)).toEqual([]);
      expect(placed.filter((l) => l.kind === 'node').length).toBeGreaterThan(20);
      const c = await colours();
      for (const col of c.drawn) expect(c.legend).toContain(col);
      // Every community has its own legend row (or, past 24, a row for the smaller ones together).
      const n = await page.evaluate(() => {
        const c = window.__linkchart!;
        return new Set(c.legend().colours.map((x) => x.label)).size;
      });
      expect(n).toBe(c.legend.length);
      // Members readable: hardly any two nodes drawn on top of each other.
      const touching = () =>
        page.evaluate(() => {
          const c = window.__linkchart!;
          const s = c.sigma!;
          const pts = c.visibleNodeIds().map((id) => {
            const d = s.getNodeDisplayData(id)!;
            const v = s.framedGraphToViewport(d);
            return { x: v.x, y: v.y, r: s.scaleSize(d.size) };
          });
          let bad = 0;
          for (let i = 0; i < pts.length; i++)
            for (let j = i + 1; j < pts.length; j++)
              if (Math.hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y) < (pts[i].r + pts[j].r) * 0.7) bad++;
          return { bad, n: pts.length };
        });
      // The whole demo view (549 entities, sized by betweenness, phones coloured with their users'
      // communities) on a 1366x768 screen: a few pairs still touch where a community's phones crowd round a
      // busy user. Measured: 34-56 of 549 at 1366 (the fitted zoom varies with what the tests before left on
      // screen and when the legend settled) and 11-14 at 1920; the bound is a regression alarm, not a goal.
      // A layout not applied, or read part way, touches nearly all (539 of 549, once, on a loaded machine).
      let overlapping = await touching();
      // On a loaded machine (the full suite beside it) the fit can run before the chart has taken its new size,
      // or the layout land after the wait: fitted again, a sound layout comes under the bound; a broken one never.
      for (let i = 0; i < 8 && overlapping.bad >= overlapping.n * 0.12; i++) {
        console.log(
          `community layout at ${w}: ${overlapping.bad} of ${overlapping.n} nodes touch; fitting again`,
        );
        await page.evaluate(() => window.__linkchart!.fit());
        await settle(1000);
        overlapping = await touching();
      }
      console.log(`community layout at ${w}: ${overlapping.bad} of ${overlapping.n} nodes touch`);
      expect(overlapping.bad).toBeLessThan(overlapping.n * 0.12);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.evaluate(() => window.__linkchart!.fit());
  });

  it('asks for the C-code confirmation before a PNG, and prints marking, conditions and legend on it', async () => {
    // The demo chart rests on C-coded reports: the picture clearance says so (428 with their conditions).
    const status = await page.evaluate(async () => {
      const c = window.__linkchart!;
      const csrf = decodeURIComponent(/(?:^|; )linkchart_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
      const r = await fetch('/api/exports/picture', {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ format: 'png', marking: 'OFFICIAL', entityIds: c.visibleNodeIds() }),
      });
      return r.status;
    });
    expect(status).toBe(428);
    await page.click('[data-testid=export-button]');
    let downloaded = false;
    const onDownload = () => (downloaded = true);
    page.on('download', onDownload);
    await page.click('[data-testid=export-png]');
    await page.waitForSelector('[data-testid=handling-confirm]');
    expect(downloaded).toBe(false);
    expect(await page.isDisabled('[data-testid=export-png]')).toBe(true);
    expect(await page.isDisabled('[data-testid=export-svg]')).toBe(true);
    const conditions = (await page.textContent('[data-testid=handling-confirm]'))!;
    await shot('png-confirm-1366');
    page.off('download', onDownload);
    await page.fill('[data-testid=handling-justification]', 'Chart for the tasking meeting briefing');
    await page.fill('[data-testid=handling-recipient]', 'DI Legible, Tasking');
    await page.check('[data-testid=handling-ok]');
    await page.selectOption('[data-testid=png-width]', '1200');
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
    const path = join(OUT, 'legible-export.png');
    await png.saveAs(path);
    const buf = readFileSync(path);
    expect(buf.readUInt32BE(16)).toBe(1200);
    expect(buf.readUInt32BE(20)).toBe(744);
    // Marking bands: red ink in the top and bottom bands; the conditions box; the legend's colours.
    const ink = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const cv = document.createElement('canvas');
      cv.width = img.width;
      cv.height = img.height;
      const ctx = cv.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const red = (y0: number, y1: number): number => {
        const d = ctx.getImageData(0, y0, img.width, y1 - y0).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 60 && d[i + 2] < 60) n++;
        return n;
      };
      const amber = (): number => {
        const d = ctx.getImageData(0, 0, img.width, img.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] === 255 && d[i + 1] === 248 && d[i + 2] === 230) n++;
        return n;
      };
      return { top: red(0, 24), bottom: red(img.height - 24, img.height), amber: amber() };
    }, buf.toString('base64'));
    expect(ink.top).toBeGreaterThan(50);
    expect(ink.bottom).toBeGreaterThan(50);
    expect(ink.amber).toBeGreaterThan(2000);
    expect(conditions.length).toBeGreaterThan(20);
  });

  it('asks for the same confirmation before an SVG, which carries marking, conditions, legend and labels', async () => {
    // A fresh dialog: the confirmation given for the PNG does not carry over.
    await page.click('[data-testid=export-dialog] button:has-text("Close")');
    await page.waitForSelector('[data-testid=export-dialog]', { state: 'detached' });
    await page.click('[data-testid=export-button]');
    await page.click('[data-testid=export-svg]');
    await page.waitForSelector('[data-testid=handling-confirm]');
    await page.fill('[data-testid=handling-justification]', 'Chart for the tasking meeting briefing');
    await page.fill('[data-testid=handling-recipient]', 'DI Legible, Tasking');
    await page.check('[data-testid=handling-ok]');
    await page.selectOption('[data-testid=brief-marking]', 'SECRET');
    const [svgDl] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=export-svg]'),
    ]);
    const path = join(OUT, 'legible-export.svg');
    await svgDl.saveAs(path);
    const svg = readFileSync(path, 'utf8');
    // The protective marking first, then the operation's (state/operation.ts pictureMarking), top and bottom.
    expect(svg.match(/class="marking"[^>]*>SECRET · OP KESTREL · [^<]* · OPEN</g)!.length).toBe(2);
    expect(svg).toContain('handling code C');
    expect(svg).toContain('class="legend"');
    expect(svg).toContain('class="labels"');
    // How the SVG looks, drawn by Chromium in a page of its own (test/out/legible-export-svg.png).
    const view = await page.context().newPage();
    await view.setContent(`<body style="margin:0">${svg}</body>`);
    await view.screenshot({ path: join(OUT, 'legible-export-svg.png'), fullPage: true });
    await view.close();
    const legendColours = await page.evaluate(() =>
      window.__linkchart!.legend().colours.map((c) => c.colour),
    );
    for (const c of legendColours) expect(svg).toContain(`fill="${c}"`);
    // Both pictures are in the audit, with the recipient confirmed (read from the server's own store).
    const db = new Database(join(server.dir, 'e2e.db'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT outcome, recipient, details FROM audit WHERE action = 'export' ORDER BY seq")
        .all() as Array<{ outcome: string; recipient: string | null; details: string | null }>;
      // Each picture was refused (428) until the conditions were confirmed.
      const denied = db
        .prepare(
          "SELECT count(*) AS n FROM audit WHERE route LIKE '%/exports/picture%' AND outcome = 'denied'",
        )
        .get() as { n: number };
      expect(denied.n).toBeGreaterThanOrEqual(2);
      for (const f of ['chart-png', 'chart-svg']) {
        const ok = rows.filter((r) => r.outcome === 'ok' && (r.details ?? '').includes(f));
        expect(ok.length, f).toBeGreaterThan(0);
        expect(ok[0].recipient).toBe('DI Legible, Tasking');
      }
    } finally {
      db.close();
    }
    expect(errors).toEqual([]);
  });
});

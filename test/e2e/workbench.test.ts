// The web workbench end to end: real server, demo network, real Chromium. One browser session walks the
// analyst's day in order (each step builds on the previous chart), taking screenshots into test/out/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  OUT,
  ROOT,
  darkPixelsInPnm,
  ensureWebBuilt,
  inkedPixels,
  launch,
  login,
  nodeScreenPosition,
  startServer,
  type Server,
} from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');
const WIDTH = 1366;
const HEIGHT = 768;

describe.skipIf(!haveChromium)('web workbench (Chromium)', () => {
  let server: Server;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const errors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(OUT, `e2e-${name}.png`) });
  const graph = <T>(fn: string): Promise<T> =>
    page.evaluate((src) => new Function('c', `return (${src})(c)`)(window.__linkchart) as T, fn);

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    // The demo network comes from the seed (server/cli/start.ts loads it into an empty store); without a seed
    // module the fixture network stands in.
    const haveSeed = existsSync(join(ROOT, 'seed/load.ts'));
    server = await startServer(
      haveSeed
        ? undefined
        : async (db) => {
            const { openStore } = await import('../../server/store/open-store.ts');
            const { fixtureBatch } = await import('./fixture.ts');
            const stores = await openStore({ ...process.env, LINKCHART_DB: db });
            await stores.graph.writeBatch(fixtureBatch(), { actor: 'e2e' });
            await stores.close();
          },
    );
    const b = await launch({ width: WIDTH, height: HEIGHT });
    closeBrowser = b.close;
    page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
  });

  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  it('loads, asks to sign in, and shows the empty state that says what to do', async () => {
    await login(page, server);
    await page.waitForSelector('[data-testid=empty-state]');
    const text = await page.textContent('[data-testid=empty-state]');
    expect(text).toContain('Load the demo network');
    expect(text).toContain('search');
    await shot('01-empty');
  });

  it('searches, adds an entity, expands it, and the canvas is not blank', async () => {
    const person = await page.evaluate(async () => {
      const r = await fetch('/api/entities?type=Person&limit=50', { credentials: 'include' });
      const j = (await r.json()) as { items: Array<{ id: string; label: string }> };
      return j.items[0];
    });
    expect(person).toBeTruthy();
    await page.press('body', '/');
    await page.keyboard.type(person.label.slice(0, 6));
    await page.waitForSelector('[data-testid=suggestions] div');
    await shot('02-suggestions');
    await page.click(`[data-testid=suggestions] div:has-text("${person.label}")`);
    await page.waitForFunction((id) => window.__linkchart!.graph.hasNode(id), person.id);
    await page.waitForSelector('[data-testid=details-label]');
    expect(await page.textContent('[data-testid=details-label]')).toBe(person.label);
    // Expand with the keyboard shortcut.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('e');
    await page.waitForFunction(() => window.__linkchart!.graph.order > 1, null, { timeout: 20_000 });
    await page.waitForTimeout(600);
    // Adding the person zoomed in on it; what the expansion added must still be in sight, not off-screen.
    const offScreen = await page.evaluate(() => {
      const c = window.__linkchart!;
      const s = c.sigma!;
      const { width, height } = s.getDimensions();
      return c.graph.nodes().filter((n) => {
        const p = s.framedGraphToViewport(s.getNodeDisplayData(n)!);
        return p.x < 0 || p.y < 0 || p.x > width || p.y > height;
      });
    });
    expect(offScreen).toEqual([]);
    // Pixels the WebGL canvases add: the chart area with and without them.
    const inked = await inkedPixels(page);
    await page.evaluate(() =>
      document
        .querySelectorAll<HTMLElement>('.sigma-container canvas')
        .forEach((c) => (c.style.visibility = 'hidden')),
    );
    const without = await inkedPixels(page);
    await page.evaluate(() =>
      document
        .querySelectorAll<HTMLElement>('.sigma-container canvas')
        .forEach((c) => (c.style.visibility = '')),
    );
    expect(inked).toBeGreaterThan(without + 1000);
    await shot('03-expanded');
  });

  it('loads the most central people and shows details with the grading of their intelligence', async () => {
    await page.evaluate(() => window.__linkchart!.clear());
    await page.waitForSelector('[data-testid=start-central]');
    await page.click('[data-testid=start-central]');
    await page.waitForFunction(() => window.__linkchart!.graph.order > 20, null, { timeout: 30_000 });
    await page.waitForTimeout(800);
    expect(await inkedPixels(page)).toBeGreaterThan(5000);
    await shot('04-central');
    // Click the node with the most links that is drawn, then a graded link in its details.
    const id = await graph<string>(
      '(c) => c.graph.nodes().filter((n) => c.isNodeVisible(n)).sort((a, b) => c.graph.degree(b) - c.graph.degree(a))[0]',
    );
    await page.evaluate((nid) => window.__linkchart!.focus(nid), id);
    await page.waitForTimeout(700);
    const p = await nodeScreenPosition(page, id);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(
      (nid) =>
        document.querySelector('[data-testid=details-label]')?.textContent ===
        window.__linkchart!.graph.getNodeAttribute(nid, 'label'),
      id,
    );
    await page.waitForSelector('[data-testid=details] table tr.clickable');
    const rows = page.locator('[data-testid=details] table tr.clickable');
    const n = await rows.count();
    let graded = false;
    for (let i = 0; i < Math.min(n, 8) && !graded; i++) {
      await rows.nth(i).click();
      await page.waitForSelector('[data-testid=details] h2');
      await page.waitForTimeout(300);
      const g = await page.locator('[data-testid=grading]').allTextContents();
      if (g.length) {
        expect(g[0]).toMatch(/^[123][A-E]$/);
        graded = true;
      } else {
        await page.mouse.click(p.x, p.y);
        await page.waitForSelector('[data-testid=details] table tr.clickable');
      }
    }
    expect(graded).toBe(true);
    await shot('05-details-grading');
  });

  it('runs a metric and the node sizes change', async () => {
    await page.selectOption('[data-testid=size-by]', '');
    await page.waitForTimeout(200);
    const before = await graph<number[]>('(c) => c.graph.mapNodes((_n, a) => a.size)');
    expect(new Set(before).size).toBe(1);
    await page.click('[data-testid=tab-rankings]');
    await page.selectOption('[data-testid=metric]', 'betweenness');
    await page.click('[data-testid=run-metric]');
    await page.waitForSelector('[data-testid=rankings] tbody tr');
    // The list may still show the opening ranking's rows while this run finishes: wait for the sizes.
    await page.waitForFunction(
      () => new Set(window.__linkchart!.graph.mapNodes((_n, a) => a.size as number)).size > 3,
      null,
      { timeout: 60_000 },
    );
    await page.waitForSelector('[data-testid=job]', { state: 'detached', timeout: 60_000 });
    const after = await graph<number[]>('(c) => c.graph.mapNodes((_n, a) => a.size)');
    expect(new Set(after).size).toBeGreaterThan(3);
    expect(Math.max(...after)).toBeGreaterThan(Math.max(...before));
    // People are ranked by default, numbered among themselves from 1; all types are one choice away.
    expect(await page.inputValue('[data-testid=rank-type]')).toBe('Person');
    const ranks = (await page.$$eval('[data-testid=rankings] tbody tr td:nth-child(2)', (tds) =>
      tds.map((td) => Number(td.textContent)),
    )) as number[];
    expect(ranks[0]).toBe(1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const people = Number((await page.textContent('[data-testid=rank-count]'))!.split(' ')[0]);
    await page.selectOption('[data-testid=rank-type]', '');
    const all = Number((await page.textContent('[data-testid=rank-count]'))!.split(' ')[0]);
    expect(all).toBeGreaterThan(people);
    // The most central person: click the first row, it is selected and focused.
    await page.selectOption('[data-testid=rank-type]', 'Person');
    const top = await page.textContent('[data-testid=rankings] tbody tr:first-child td:nth-child(3)');
    await page.click('[data-testid=rankings] tbody tr:first-child');
    await page.waitForSelector('[data-testid=tab-details]');
    const selected = await page.evaluate(() => {
      const c = window.__linkchart!;
      return c.graph
        .filterNodes((n) => c.sigma!.getNodeDisplayData(n)?.highlighted)
        .map((n) => c.graph.getNodeAttribute(n, 'etype'));
    });
    expect(selected).toEqual(['Person']);
    expect(top).toBeTruthy();
    await page.waitForTimeout(600);
    await shot('06-ranked');
  });

  it('selects with the lasso exactly the entities inside the drawn shape', async () => {
    await page.keyboard.press('Escape');
    const r = 70;
    // A person with others around it on screen, so the shape catches several entities and leaves others out.
    const target = await page.evaluate((r) => {
      const c = window.__linkchart!;
      const at = (n: string) => {
        const a = c.graph.getNodeAttributes(n);
        return c.sigma!.graphToViewport({ x: a.x as number, y: a.y as number });
      };
      const shown = c.graph.filterNodes((n) => c.isNodeVisible(n));
      const { width, height } = c.sigma!.getDimensions();
      let best = { id: '', n: 0 };
      for (const n of shown) {
        if (c.graph.getNodeAttribute(n, 'etype') !== 'Person') continue;
        const p = at(n);
        if (p.x < r || p.y < r || p.x > width - r || p.y > height - r) continue;
        const k = shown.filter((m) => {
          const q = at(m);
          return Math.abs(q.x - p.x) < r && Math.abs(q.y - p.y) < r;
        }).length;
        if (k > best.n) best = { id: n, n: k };
      }
      return best.id;
    }, r);
    const p = await nodeScreenPosition(page, target);
    const box = (await page.locator('[data-testid=chart]').boundingBox())!;
    // What should be caught: every visible node whose centre lies in the square, from sigma's own positions.
    const expected = await page.evaluate(
      ({ x, y, r }) => {
        const c = window.__linkchart!;
        return c.graph
          .filterNodes((n, a) => {
            if (!c.isNodeVisible(n)) return false;
            const v = c.sigma!.graphToViewport({ x: a.x as number, y: a.y as number });
            return Math.abs(v.x - x) < r && Math.abs(v.y - y) < r;
          })
          .sort();
      },
      { x: p.x - box.x, y: p.y - box.y, r },
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(expected).toContain(target);
    await page.click('button[title="Lasso select (l)"]');
    await page.mouse.move(p.x - r, p.y - r);
    await page.mouse.down();
    for (const [dx, dy] of [
      [r, -r],
      [r, r],
      [-r, r],
      [-r, -r + 1],
    ])
      await page.mouse.move(p.x + dx, p.y + dy, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction((n) => window.__linkchart!.selectedIds().length === n, expected.length);
    expect(await graph<string[]>('(c) => c.selectedIds().sort()')).toEqual(expected);
    await shot('06b-lasso');
    await page.keyboard.press('Escape');
  });

  it('draws an entity and a link by hand, each resting on a graded report', async () => {
    const other = await graph<string>(
      "(c) => c.graph.filterNodes((n, a) => a.etype === 'Person' && c.isNodeVisible(n))[0]",
    );
    await page.click('[data-testid=draw-menu]');
    await page.click('text=New entity…');
    await page.waitForSelector('[data-testid=entity-dialog]');
    await page.fill('[data-testid=entity-label]', 'E2E Drawn Suspect');
    await page.fill('[data-testid=entity-props]', 'nickname = Spider\nage = 31');
    await page.selectOption('[data-testid=report-source]', '1');
    await page.selectOption('[data-testid=report-intel]', 'B');
    await page.selectOption('[data-testid=report-handling]', 'C');
    await page.fill('[data-testid=report-conditions]', 'Not to be shared outside the e2e team');
    await shot('07-draw-entity');
    await page.click('[data-testid=entity-save]');
    await page.waitForSelector('[data-testid=entity-dialog]', { state: 'detached' });
    const drawn = await graph<string>("(c) => c.graph.findNode((n, a) => a.label === 'E2E Drawn Suspect')");
    expect(drawn).toBeTruthy();
    await page.waitForSelector('[data-testid=details] [data-testid=grading]');
    expect(await page.textContent('[data-testid=details] [data-testid=grading]')).toBe('1B');
    expect(await page.textContent('[data-testid=details]')).toContain(
      'Not to be shared outside the e2e team',
    );

    // Select the drawn entity, then shift-click another person, and draw a link between them.
    await page.evaluate(
      ([a, b]) => {
        const c = window.__linkchart!;
        c.graph.mergeNodeAttributes(a, {
          x: c.graph.getNodeAttribute(b, 'x') + 30,
          y: c.graph.getNodeAttribute(b, 'y'),
        });
        c.focus(a);
      },
      [drawn, other],
    );
    await page.waitForTimeout(900);
    const pa = await nodeScreenPosition(page, drawn);
    await page.mouse.click(pa.x, pa.y);
    const pb = await nodeScreenPosition(page, other);
    await page.keyboard.down('Shift');
    await page.mouse.click(pb.x, pb.y);
    await page.keyboard.up('Shift');
    const sel = await page.evaluate(() => window.__linkchart!.selectedIds());
    expect(sel).toEqual([drawn, other]);
    await page.click('[data-testid=draw-menu]');
    await page.click('text=New link…');
    await page.waitForSelector('[data-testid=link-dialog]');
    await page.selectOption('[data-testid=link-type]', 'ASSOCIATE_OF');
    await page.selectOption('[data-testid=report-source]', '2');
    await page.selectOption('[data-testid=report-intel]', 'C');
    await page.click('[data-testid=link-save]');
    await page.waitForSelector('[data-testid=link-dialog]', { state: 'detached' });
    const link = await page.evaluate(
      ([a, b]) =>
        window.__linkchart!.graph.edges(a).filter((e) => window.__linkchart!.graph.opposite(a, e) === b),
      [drawn, other],
    );
    expect(link.length).toBe(1);
    await page.waitForSelector('[data-testid=details] [data-testid=grading]');
    expect(await page.textContent('[data-testid=details] [data-testid=grading]')).toBe('2C');
    await shot('08-drawn-link');
  });

  it('runs the disruption lab and its chart appears, with fragments coloured', async () => {
    await page.click('[data-testid=tab-disruption]');
    await page.click('[data-testid=run-disruption]');
    await page.waitForSelector('[data-testid=disruption-chart] polyline');
    const pts = await page.getAttribute('[data-testid=disruption-chart] polyline', 'points');
    expect(pts!.trim().split(/\s+/).length).toBe(6); // before + 5 removals
    const removed = await page.evaluate(() => {
      // Removed entities are drawn grey.
      const c = window.__linkchart!;
      const id = c.graph.nodes().find((n) => c.sigma!.getNodeDisplayData(n)?.color === '#9aa0a6');
      return id ?? null;
    });
    expect(removed).not.toBeNull();
    await shot('09-disruption');
  });

  it('saves a chart and reopens it with the same positions', async () => {
    const before = await graph<Record<string, [number, number]>>(
      '(c) => Object.fromEntries(c.graph.mapNodes((n, a) => [n, [a.x, a.y]]))',
    );
    await page.click('[data-testid=charts-button]');
    await page.fill('[data-testid=chart-name]', 'E2E chart');
    await page.click('[data-testid=chart-save]');
    await page.waitForSelector('[data-testid=charts-dialog]', { state: 'detached' });
    // Change the chart: circular layout, remove a node.
    await page.click('text=Circle');
    await page.waitForTimeout(600);
    await page.evaluate(() => window.__linkchart!.removeNodes([window.__linkchart!.graph.nodes()[0]]));
    await page.click('[data-testid=charts-button]');
    await page.click('[data-testid=chart-row]:has-text("E2E chart")');
    await page.waitForSelector('[data-testid=charts-dialog]', { state: 'detached' });
    await page.waitForTimeout(300);
    const after = await graph<Record<string, [number, number]>>(
      '(c) => Object.fromEntries(c.graph.mapNodes((n, a) => [n, [a.x, a.y]]))',
    );
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [id, [x, y]] of Object.entries(before)) {
      expect(after[id][0]).toBeCloseTo(x, 6);
      expect(after[id][1]).toBeCloseTo(y, 6);
    }
    await shot('10-reopened');
  });

  it('exports a PNG at the chosen resolution and a PDF briefing whose pages are not blank', async () => {
    await page.click('[data-testid=export-button]');
    await page.fill('[data-testid=brief-title]', 'E2E briefing');
    await page.fill('[data-testid=brief-author]', 'DC End-to-End');
    const pdfPath = join(OUT, 'e2e-briefing.pdf');
    await page.click('[data-testid=export-pdf]');
    // The chart rests on C-coded intelligence (the entity drawn above): the exporter must confirm its conditions.
    await page.waitForSelector('[data-testid=handling-confirm]');
    expect(await page.textContent('[data-testid=handling-confirm]')).toContain(
      'Not to be shared outside the e2e team',
    );
    await page.fill('[data-testid=handling-justification]', 'Briefing for the e2e tasking meeting');
    await page.fill('[data-testid=handling-recipient]', 'DI Test, Tasking');
    await page.check('[data-testid=handling-ok]');
    // The PNG rests on the same C-coded intelligence: exported once the conditions are confirmed.
    await page.selectOption('[data-testid=png-width]', '1200');
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-png]')]);
    const pngPath = join(OUT, 'e2e-export.png');
    await png.saveAs(pngPath);
    const buf = readFileSync(pngPath);
    expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(buf.readUInt32BE(16)).toBe(1200);
    expect(buf.readUInt32BE(20)).toBe(744);
    expect(statSync(pngPath).size).toBeGreaterThan(20_000);
    await shot('11-export');
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.click('[data-testid=export-pdf]');
    await (await download).saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    const prefix = join(OUT, 'e2e-briefing-page');
    for (const f of readdirSync(OUT))
      if (f.startsWith('e2e-briefing-page')) execFileSync('rm', ['-f', join(OUT, f)]);
    execFileSync('pdftoppm', ['-r', '40', pdfPath, prefix]);
    const pages = readdirSync(OUT).filter((f) => f.startsWith('e2e-briefing-page') && f.endsWith('.ppm'));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const f of pages) {
      const { width, height, dark } = darkPixelsInPnm(join(OUT, f));
      expect(width).toBeGreaterThan(height); // landscape
      expect(dark).toBeGreaterThan(300);
    }
    const text = execFileSync('pdftotext', [pdfPath, '-']).toString();
    expect(text.match(/OFFICIAL-SENSITIVE/g)!.length).toBeGreaterThanOrEqual(4); // top and bottom of each page
    expect(text).toContain('Not to be shared outside the e2e team');
    expect(text).toContain('Grading key');
    expect(text).toContain('Analysis record');

    // The chart's data for i2 and other tools, from the same dialog, with the conditions confirmed above.
    const visible = await graph<Array<{ id: string; label: string; x: number; y: number }>>(
      '(c) => c.visibleNodeIds().map((n) => ({ id: n, label: c.graph.getNodeAttribute(n, "label"), x: c.graph.getNodeAttribute(n, "x"), y: c.graph.getNodeAttribute(n, "y") }))',
    );
    const fetchData = async (format: string, file: string): Promise<string> => {
      await page.selectOption('[data-testid=data-format]', format);
      const [d] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-data]')]);
      expect(d.suggestedFilename()).toBe(file);
      const path = join(OUT, `e2e-data-${file}`);
      await d.saveAs(path);
      return readFileSync(path, 'utf8');
    };
    const anx = await fetchData('anx', 'E2E-briefing.anx');
    expect(XMLValidator.validate(anx)).toBe(true);
    expect(anx.match(/<ChartItem /g)!.length).toBeGreaterThanOrEqual(visible.length);
    const items = (
      new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        isArray: (n) => n === 'ChartItem',
      }).parse(anx) as { Chart: { ChartItemCollection: { ChartItem: Array<{ Label: string }> } } }
    ).Chart.ChartItemCollection.ChartItem.map((i) => String(i.Label));
    for (const v of visible) expect(items).toContain(v.label);
    const json = JSON.parse(await fetchData('json', 'E2E-briefing.json')) as {
      nodes: Array<{ id: string; x: number; y: number }>;
    };
    expect(json.nodes.map((n) => n.id).sort()).toEqual(visible.map((v) => v.id).sort());
    for (const v of visible) {
      const n = json.nodes.find((m) => m.id === v.id)!;
      expect(n.x).toBeCloseTo(v.x, 6);
      expect(n.y).toBeCloseTo(v.y, 6);
    }
  });

  it('raised no uncaught error in the page', () => {
    expect(errors).toEqual([]);
  });
});

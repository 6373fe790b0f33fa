// Search that forgives, end to end: in the demo network a surname typed without its vowels ("Smth") still
// finds the person, after any exact match, and each suggestion shows date of birth and reference so that
// namesakes can be told apart. Real server, real Chromium, at the two screen sizes analysts use.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OUT, ensureWebBuilt, launch, login, startServer, type Server } from './harness.ts';

const haveChromium = existsSync('/usr/bin/chromium');

describe.skipIf(!haveChromium)('search forgives spelling (Chromium)', () => {
  let server: Server;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ensureWebBuilt();
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  for (const [width, height] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`a surname without its vowels finds the person, with date of birth and reference (${width}x${height})`, async () => {
      const b = await launch({ width, height });
      try {
        const page: Page = b.context.pages()[0] ?? (await b.context.newPage());
        await login(page, server);
        const person = await page.evaluate(async () => {
          const r = await fetch('/api/entities?type=Person&limit=200', { credentials: 'include' });
          const j = (await r.json()) as {
            items: Array<{ id: string; label: string; properties: Record<string, unknown> }>;
          };
          return j.items.find(
            (p) => /^\S+ [A-Z][a-z]{4,}$/.test(p.label) && typeof p.properties.dob === 'string',
          );
        });
        expect(person, 'a demo person with a plain two-word name and a date of birth').toBeTruthy();
        const family = person!.label.split(' ')[1];
        // "Smith" typed as "Smth": first letter, then the rest without vowels.
        const typed = family[0] + family.slice(1).replace(/[aeiou]/g, '');
        expect(typed).not.toBe(family);
        await page.press('body', '/');
        await page.keyboard.type(typed);
        const row = page.locator(`[data-testid=suggestions] div:has-text("${person!.label}")`).first();
        await row.waitFor();
        const text = await row.textContent();
        expect(text).toContain(`born ${person!.properties.dob as string}`);
        if (typeof person!.properties.externalRef === 'string') {
          expect(text).toContain(`ref ${person!.properties.externalRef}`);
        }
        expect(text).toContain('similar name');
        await page.screenshot({ path: join(OUT, `e2e-search-forgives-${width}.png`) });

        // The exact surname: exact matches come first, each with its date of birth.
        const answered = page.waitForResponse((r) => r.url().includes(`/api/search?q=${family}`));
        await page.fill('[data-testid=search]', family);
        await answered;
        await page.waitForTimeout(300);
        const first = await page.locator('[data-testid=suggestions] > div').first().textContent();
        expect(first).toContain(family);
        expect(first).not.toContain('similar name');
        expect(await page.locator('[data-testid=hit-detail]').first().textContent()).toMatch(
          /born|no date of birth/,
        );
      } finally {
        await b.close();
      }
    });
  }
});

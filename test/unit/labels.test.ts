// Labels and names refuse control characters (NUL included) and bidirectional overrides and isolates
// (issue 16), with a 400 naming the field; imported names are cleaned of them instead (normaliseName), so an
// import of ordinary data, and of data with a stray control character, still goes in.
import '../security/fast-kdf.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  annotationInputSchema,
  chartInputSchema,
  entityInputSchema,
  reportInputSchema,
} from '../../server/domain/model.ts';
import { normaliseName } from '../../server/domain/normalise.ts';
import { naturalKey } from '../../server/domain/keys.ts';
import { stripUnsafe, unsafeLabelProblem } from '../../server/domain/text.ts';
import { foldName } from '../../server/domain/names.ts';
import { securedApp } from '../security/app.ts';
import { createRoleUsers, signIn, tempStore, type TempStore } from '../security/helpers.ts';

const BAD: Array<[string, string, RegExp]> = [
  ['NUL', 'Jo\u0000hn Smith', /a NUL character \(U\+0000 at character 3\)/],
  ['a C0 control', 'John\u0007 Smith', /a control character \(U\+0007/],
  ['DEL', 'John\u007F', /a control character \(U\+007F/],
  ['a C1 control', 'John\u0085Smith', /a control character \(U\+0085/],
  ['right-to-left override', 'invoice\u202Efdp.exe', /a bidirectional override character \(U\+202E/],
  ['left-to-right embedding', '\u202AJohn', /a bidirectional override character \(U\+202A/],
  ['pop directional formatting', 'John\u202C', /a bidirectional override character \(U\+202C/],
  ['first strong isolate', 'John\u2068Smith', /a bidirectional override character \(U\+2068/],
  ['pop directional isolate', 'John\u2069', /a bidirectional override character \(U\+2069/],
  ['a right-to-left mark in Latin text', 'John\u200F Smith', /a direction mark outside right-to-left text/],
  ['a line separator', 'John\u2028Smith', /a line or paragraph separator/],
];

describe('label characters', () => {
  it.each(BAD)('refuses %s, naming the field and the character', (_what, label, why) => {
    const r = entityInputSchema.safeParse({ type: 'Person', label });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['label']);
    expect(r.error!.issues[0].message).toMatch(/^label must not contain /);
    expect(r.error!.issues[0].message).toMatch(why);
  });

  it('accepts ordinary labels in any script, and direction marks inside right-to-left text', () => {
    for (const label of [
      'John Smith',
      'José Muñoz-O’Neill',
      '王小明',
      'Ахмед Иванов',
      'محمد علي',
      'שלום\u200F (Tel Aviv)',
      'Ali \u061C محمد',
      'Family 👨\u200D👩\u200D👧',
      'Line one\ttab',
    ])
      expect(unsafeLabelProblem(label, 'label'), label).toBeNull();
  });

  it('checks every label and name field, and NUL in free text', () => {
    const report = { ref: 'R1', date: '2024-01-01', author: 'DC Ray', source: 1, intel: 'A', handling: 'P' };
    const first = (r: {
      success: boolean;
      error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
    }) => r.error?.issues[0];
    expect(first(reportInputSchema.safeParse({ ...report, ref: 'R\u202E1' }))?.path).toEqual(['ref']);
    expect(first(reportInputSchema.safeParse({ ...report, author: 'DC\u0000' }))?.message).toMatch(
      /^report author must not contain a NUL/,
    );
    expect(first(reportInputSchema.safeParse({ ...report, text: 'line 1\nline 2\u0000' }))?.message).toMatch(
      /^report text must not contain a NUL/,
    );
    expect(
      reportInputSchema.safeParse({ ...report, text: 'line 1\r\n\tline 2 \u202E ok in text' }).success,
    ).toBe(true);
    expect(first(entityInputSchema.safeParse({ type: 'Person', label: 'A', key: 'k\u0000' }))?.path).toEqual([
      'key',
    ]);
    expect(first(chartInputSchema.safeParse({ name: 'Op\u2066X', state: {} }))?.message).toMatch(
      /^chart name must not contain a bidirectional override/,
    );
    const note = { target: { kind: 'entity', id: '1' } };
    expect(first(annotationInputSchema.safeParse({ ...note, tags: ['ok', 'b\u202Ead'] }))?.path).toEqual([
      'tags',
      1,
    ]);
    expect(first(annotationInputSchema.safeParse({ ...note, text: 'x\u0000' }))?.message).toMatch(
      /note text/,
    );
  });

  it('imported names are cleaned of the same characters, so keys cannot be spoofed with them', () => {
    expect(normaliseName('  Jo\u0000hn \u202E Smith\u0007 ')).toBe('John Smith');
    expect(normaliseName('John\r\nSmith')).toBe('John Smith');
    expect(normaliseName('שלום\u200F')).toBe('שלום\u200F');
    expect(normaliseName('Smith\u200F')).toBe('Smith');
    expect(naturalKey('Person', 'John\u202E Smith')).toBe(naturalKey('Person', 'John Smith'));
    expect(stripUnsafe('plain')).toBe('plain');
  });

  it('folds names: NFKC and case folding', () => {
    expect(foldName(' Analyst1 ')).toBe('analyst1');
    expect(foldName('ＡＮＡＬＹＳＴ１')).toBe('analyst1');
    expect(foldName('Straße')).toBe(foldName('STRASSE'));
    expect(foldName('ΟΔΟΣ')).toBe(foldName('οδος'));
  });
});

describe('labels over the API', () => {
  let ts: TempStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    ts = await tempStore();
    await createRoleUsers(ts.stores.security, ['analyst']);
    app = await securedApp(ts.stores);
  });
  afterAll(async () => {
    await app.close();
    await ts.cleanup();
  });

  it('400 naming the field for an entity, a batch, a chart and a note; ordinary ones are accepted', async () => {
    const a = await signIn(app, 'analyst');
    const post = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, headers: a.headers, payload: payload as object });
    const entity = await post('/api/entities', { type: 'Person', label: 'Jo\u0000hn' });
    expect(entity.statusCode, entity.body).toBe(400);
    expect(entity.body).toMatch(/label must not contain a NUL character/);
    expect(JSON.stringify(entity.json().error)).toMatch(/label/);
    const batch = await post('/api/batch', {
      entities: [
        { type: 'Person', label: 'Fine Person' },
        { type: 'Person', label: 'evil\u202Etxt.exe' },
      ],
    });
    expect(batch.statusCode, batch.body).toBe(400);
    expect(batch.body).toMatch(/label must not contain a bidirectional override character \(U\+202E/);
    const chart = await post('/api/charts', { name: 'Op \u2067Nightjar', state: {} });
    expect(chart.statusCode, chart.body).toBe(400);
    expect(chart.body).toMatch(/chart name must not contain/);

    const ok = await post('/api/entities', { type: 'Person', label: 'محمد علي' });
    expect(ok.statusCode, ok.body).toBe(201);
    const okChart = await post('/api/charts', { name: 'Operation Nightjar', state: {} });
    expect(okChart.statusCode, okChart.body).toBeLessThan(300);
    const note = await post('/api/annotations', {
      target: { kind: 'entity', id: ok.json().id },
      text: 'seen twice',
      tags: ['bad\u0000tag'],
    });
    expect(note.statusCode, note.body).toBe(400);
    expect(note.body).toMatch(/tag must not contain a NUL/);
  });
});

// RFG on hand-computed cases: every expected number below is worked out in the comment beside it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGravityScale, parseGravityScale } from '../../server/cycle/gravity-scale.ts';
import { DEFAULT_BANDS, recencyWeight, rfgScores } from '../../server/cycle/rfg.ts';
import { entity, link, subgraph } from './fixtures.ts';

// asOf 2024-07-01. 2024-01-03 is 180 days earlier (28+29+31+30+31+30+1), 2023-07-07 is 360 days earlier.
const nodes = [
  entity('P1', 'Person'),
  entity('P2', 'Person'),
  entity('P3', 'Person'),
  entity('P4', 'Person'),
  entity('P5', 'Person'),
  entity('PH', 'Phone'),
  entity('E1', 'Event', { date: '2024-07-01', category: 'Firearms' }), // scale: 9
  entity('E2', 'Event', { date: '2024-01-03', category: 'firearms', gravity: 10 }), // own gravity wins: 10
  entity('E3', 'Event', { date: '2023-07-07', category: 'Drug Supply' }), // drug_supply: 5
  entity('E4', 'Event', { category: 'littering' }), // undated, not in the table: default 2
  entity('E5', 'Event', { date: '2024-08-01', category: 'homicide' }), // after asOf: not counted
  entity('E6', 'Event', { category: 'robbery' }), // dated by its link: 2024-07-01, robbery 6
];
const links = [
  link('P1', 'E1', 'INVOLVED_IN'),
  link('P1', 'E2', 'INVOLVED_IN'),
  link('P2', 'E2', 'INVOLVED_IN'),
  link('P2', 'E3', 'INVOLVED_IN'),
  link('P3', 'E4', 'INVOLVED_IN'),
  link('P4', 'E5', 'INVOLVED_IN'),
  link('P5', 'E6', 'INVOLVED_IN', { firstSeen: '2024-07-01' }),
  link('PH', 'E1', 'INVOLVED_IN'), // phones are not scored
  link('P1', 'P2'), // not an event link: ignored
];
const sub = subgraph(nodes, links);
const scale = loadGravityScale({});
const byId = (r: ReturnType<typeof rfgScores>) => new Map(r.scores.map((s) => [s.entityId, s]));

describe('RFG', () => {
  it('scores hand-computed cases with the default exponential recency (half-life 180 days)', () => {
    const r = rfgScores(sub, { asOf: '2024-07-01', gravityScale: scale });
    const s = byId(r);
    // P1: 9 * 2^0 + 10 * 2^(-180/180) = 9 + 5 = 14
    expect(s.get('P1')!.score).toBeCloseTo(14, 10);
    expect(s.get('P1')!.frequency).toBe(2);
    expect(s.get('P1')!.gravity).toBe(19);
    expect(s.get('P1')!.maxGravity).toBe(10);
    expect(s.get('P1')!.recency).toBe(1);
    expect(s.get('P1')!.lastEventDate).toBe('2024-07-01');
    expect(s.get('P1')!.events.map((e) => [e.eventId, e.gravitySource])).toEqual([
      ['E1', 'category'],
      ['E2', 'event'],
    ]);
    // P2: 10 * 0.5 + 5 * 2^(-360/180) = 5 + 1.25 = 6.25
    expect(s.get('P2')!.score).toBeCloseTo(6.25, 10);
    expect(s.get('P2')!.recency).toBeCloseTo(0.5, 10);
    // P3: undated, default gravity 2 at recency 0.5 = 1
    expect(s.get('P3')!.score).toBeCloseTo(1, 10);
    expect(s.get('P3')!.events[0]).toMatchObject({
      ageDays: null,
      gravitySource: 'default',
      category: 'littering',
    });
    // P4: the only event is after asOf
    expect(s.get('P4')!).toMatchObject({ score: 0, frequency: 0, lastEventDate: null });
    // P5: event dated by the link's first seen, age 0: 6
    expect(s.get('P5')!.score).toBeCloseTo(6, 10);
    expect(s.has('PH')).toBe(false);
    expect(r.scores.map((x) => x.entityId)).toEqual(['P1', 'P2', 'P5', 'P3', 'P4']);
  });

  it('defaults asOf to the latest dated event and honours lookback', () => {
    // Latest dated event is E5 (2024-08-01): P1 = 9 * 2^(-31/180) + 10 * 2^(-211/180)
    const r = rfgScores(sub, { gravityScale: scale });
    expect(r.asOf).toBe('2024-08-01T00:00:00.000Z');
    expect(byId(r).get('P1')!.score).toBeCloseTo(9 * 2 ** (-31 / 180) + 10 * 2 ** (-211 / 180), 10);
    expect(byId(r).get('P4')!.score).toBeCloseTo(10, 10);
    // lookback 179 days from 2024-07-01 drops E2 (180 days): P1 = 9
    const l = rfgScores(sub, { asOf: '2024-07-01', gravityScale: scale, lookbackDays: 179 });
    expect(byId(l).get('P1')!.score).toBeCloseTo(9, 10);
    expect(byId(l).get('P1')!.frequency).toBe(1);
  });

  it('uses banded recency when asked', () => {
    expect(recencyWeight(0, DEFAULT_BANDS)).toBe(1);
    expect(recencyWeight(90, DEFAULT_BANDS)).toBe(1);
    expect(recencyWeight(91, DEFAULT_BANDS)).toBe(0.75);
    expect(recencyWeight(800, DEFAULT_BANDS)).toBe(0.1);
    const r = byId(rfgScores(sub, { asOf: '2024-07-01', gravityScale: scale, recency: DEFAULT_BANDS }));
    // P1: 9 * 1 + 10 * 0.75 (180 days is in the <=180 band) = 16.5; P2: 10 * 0.75 + 5 * 0.5 = 10
    expect(r.get('P1')!.score).toBeCloseTo(16.5, 10);
    expect(r.get('P2')!.score).toBeCloseTo(10, 10);
  });

  it('reads the gravity scale a force sets in LINKCHART_GRAVITY_SCALE', () => {
    const custom = join(dir, 'scale.json');
    writeFileSync(custom, JSON.stringify({ default: 2, categories: { 'Drug supply': 100, FIREARMS: 10 } }));
    const own = loadGravityScale({ LINKCHART_GRAVITY_SCALE: custom });
    expect(own.categories).toEqual({ drug_supply: 100, firearms: 10 });
    const s = byId(rfgScores(sub, { asOf: '2024-07-01', gravityScale: own }));
    // P1: 10 * 1 + own gravity 10 * 0.5 = 15; P2: 5 + 100 * 0.25 = 30; P3: 2 * 0.5 = 1
    expect(s.get('P1')!.score).toBeCloseTo(15, 10);
    expect(s.get('P2')!.score).toBeCloseTo(30, 10);
    expect(s.get('P3')!.score).toBeCloseTo(1, 10);
  });

  it('refuses a bad gravity scale with the file and field named', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ default: 2, categories: { theft: -1 } }));
    expect(() => loadGravityScale({ LINKCHART_GRAVITY_SCALE: bad })).toThrow(
      /bad\.json: categories\.theft: gravity must be a number above 0/,
    );
    expect(() => loadGravityScale({ LINKCHART_GRAVITY_SCALE: join(dir, 'missing.json') })).toThrow(
      /cannot read/,
    );
    expect(() => parseGravityScale({ categories: {} })).toThrow(/default/);
    expect(() => rfgScores(sub, { asOf: 'yesterday' })).toThrow(/asOf/);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'lc-rfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

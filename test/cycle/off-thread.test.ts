// The worker-thread path gives exactly what the inline path gives (large views take it).
import { describe, expect, it } from 'vitest';
import {
  OFF_THREAD_LINKS,
  runCycleTask,
  runInWorker,
  type CycleTask,
} from '../../server/cycle/off-thread.ts';
import { generateNetwork } from '../../seed/generate.ts';
import type { Entity, Link, Subgraph } from '../../server/domain/model.ts';
import { naturalKey } from '../../server/domain/keys.ts';

/** The seed batch as a Subgraph (keys as ids), windowed like the store would. */
function seedWindows(): { before: Subgraph; after: Subgraph; arrested: string[] } {
  const { batch, truth } = generateNetwork({ seed: 3, size: 'demo', intervention: true });
  const T = '2024-01-01T00:00:00.000Z';
  const nodes: Entity[] = batch.entities!.map((e) => {
    const key = e.key ?? naturalKey(e.type, e.label, e.properties ?? {});
    return {
      id: `${e.type}|${key}`,
      type: e.type,
      label: e.label,
      key,
      properties: e.properties ?? {},
      reviewDate: null,
      createdAt: T,
      updatedAt: T,
    };
  });
  const ref = (r: { type?: string; key?: string; id?: string }) => `${r.type}|${r.key}`;
  const links: Link[] = batch.links!.map((l, i) => ({
    id: `l${i}`,
    type: l.type,
    from: ref(l.from as { type: string; key: string }),
    to: ref(l.to as { type: string; key: string }),
    directed: false,
    weight: l.weight ?? 1,
    firstSeen: l.firstSeen ?? null,
    lastSeen: l.lastSeen ?? null,
    properties: {},
    grading: null,
    createdAt: T,
    updatedAt: T,
  }));
  const within = (from: string, to: string) => (l: Link) =>
    (!l.firstSeen && !l.lastSeen) ||
    ((l.lastSeen ?? l.firstSeen)! >= from && (l.firstSeen ?? l.lastSeen)! <= to);
  return {
    before: {
      dataVersion: 1,
      nodes,
      links: links.filter(within('2024-01-01', '2024-06-30')),
      truncated: false,
    },
    after: {
      dataVersion: 1,
      nodes,
      links: links.filter(within('2024-07-01', '2024-12-31')),
      truncated: false,
    },
    arrested: truth.intervention!.arrested.map((k) => `Person|${k}`),
  };
}

describe('cycle work off the request thread', () => {
  it('returns the same review and priorities from a worker as inline', async () => {
    const { before, after, arrested } = seedWindows();
    expect(before.links.length).toBeLessThan(OFF_THREAD_LINKS);
    const review: CycleTask = { kind: 'review', before, after, options: { targets: arrested } };
    const inline = runCycleTask(review);
    expect((inline as { risers: unknown[] }).risers.length).toBeGreaterThan(0);
    expect(await runInWorker(review)).toEqual(inline);
    const prio: CycleTask = { kind: 'priorities', sub: before, rfg: { asOf: '2024-06-30' }, matrix: {} };
    expect(await runInWorker(prio)).toEqual(runCycleTask(prio));
  });

  it('reports a failure in the worker as an error', async () => {
    const bad: CycleTask = {
      kind: 'priorities',
      sub: { dataVersion: 1, nodes: [], links: [], truncated: false },
      rfg: { asOf: 'not a date' },
      matrix: {},
    };
    await expect(runInWorker(bad)).rejects.toThrow(/asOf "not a date" is not a date/);
  });
});

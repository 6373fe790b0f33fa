import { describe, expect, it } from 'vitest';
import { networkPositions, priorityMatrix } from '../../server/cycle/priority-matrix.ts';
import { rfgScores } from '../../server/cycle/rfg.ts';
import { entity, link, subgraph } from './fixtures.ts';

// Two triangles (a0 a1 a2) and (b0 b1 b2) joined through the bridge X; P hangs off a0.
// X and P are linked to grave events; a1 to a minor one.
function fixture() {
  const ids = ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'X', 'P'];
  const nodes = [
    ...ids.map((id) => entity(id, 'Person', {}, `Person ${id}`)),
    entity('E1', 'Event', { date: '2024-06-01', category: 'firearms' }),
    entity('E2', 'Event', { date: '2024-06-01', category: 'kidnap' }),
    entity('E3', 'Event', { date: '2024-06-01', category: 'public order' }),
  ];
  const links = [
    link('a0', 'a1'),
    link('a1', 'a2'),
    link('a0', 'a2'),
    link('b0', 'b1'),
    link('b1', 'b2'),
    link('b0', 'b2'),
    link('a0', 'X'),
    link('X', 'b0'),
    link('P', 'a0'),
    link('X', 'E1', 'INVOLVED_IN'),
    link('P', 'E2', 'INVOLVED_IN'),
    link('a1', 'E3', 'INVOLVED_IN'),
  ];
  return subgraph(nodes, links);
}

describe('priority matrix', () => {
  it('puts each person in a quadrant and says why', () => {
    const sub = fixture();
    // Betweenness on people only, so events do not carry paths.
    const peopleOnly = { ...sub, links: sub.links.filter((l) => l.type !== 'INVOLVED_IN') };
    const pos = networkPositions(peopleOnly);
    const rfg = rfgScores(sub, {
      asOf: '2024-06-01',
      gravityScale: { default: 1, categories: { firearms: 70, kidnap: 80, public_order: 2 } },
    }).scores;
    const m = priorityMatrix(rfg, pos);
    const q = new Map(m.rows.map((r) => [r.entityId, r]));
    // RFG: P 80, X 70, a1 2, others 0 -> percentiles P 93.75, X 81.25, a1 68.75: P and X are high harm.
    expect(q.get('P')!.rfgPercentile).toBeCloseTo(93.75, 10);
    expect(q.get('X')!.quadrant).toBe('high harm, central');
    expect(q.get('P')!.quadrant).toBe('high harm, peripheral');
    expect(q.get('a0')!.quadrant).toBe('low harm, central');
    expect(q.get('b1')!.quadrant).toBe('low harm, peripheral');
    expect(q.get('a1')!.quadrant).toBe('low harm, peripheral');
    expect(m.counts).toEqual({
      'high harm, central': 1,
      'high harm, peripheral': 1,
      'low harm, central': 2,
      'low harm, peripheral': 4,
    });
    expect(q.get('X')!.why).toMatch(
      /^Person X is high harm, central: high harm: RFG 70 \(81st percentile\) from 1 event, latest 2024-06-01, gravest firearms \(gravity 70\); central: betweenness/,
    );
    expect(q.get('P')!.why).toMatch(/peripheral: on no shortest path between others/);
    expect(q.get('a1')!.why).toMatch(/low harm: RFG 2 \(69th percentile\).*below the 75th percentile/);
    expect(m.rows[0].entityId).toBe('X');
  });
});

// Louvain community detection (Blondel et al. 2008) over typed arrays, seeded so a run repeats:
// local moving in a seeded random order, then aggregation, until a level moves no node. Links are read
// undirected; weights are strengths (more calls, stronger tie) unless `weighted` is false.
// Returns community labels numbered by first appearance in node order, and the modularity of the result.
import type { CSR } from './csr.ts';
import { undirectedCSR } from './csr.ts';
import { modularity } from './modularity.ts';
import { mulberry32 } from './random.ts';

export interface LouvainOptions {
  weighted?: boolean;
  resolution?: number;
  seed?: number;
  /** A pass must raise modularity by more than this to continue. */
  tolerance?: number;
  maxLevels?: number;
}
export const LOUVAIN_DEFAULTS = { weighted: true, resolution: 1, seed: 1, tolerance: 1e-7, maxLevels: 32 };

export interface LouvainResult {
  communities: Int32Array;
  count: number;
  modularity: number;
  levels: number;
}

interface Level {
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  /** Weight of self-loops (internal weight of an aggregated community), counted once. */
  loops: Float64Array;
}

export function louvain(graph: CSR, options: LouvainOptions = {}): LouvainResult {
  const o = { ...LOUVAIN_DEFAULTS, ...options };
  const g = undirectedCSR(graph);
  const rng = mulberry32(o.seed);
  let level: Level = {
    n: g.n,
    offsets: g.offsets,
    targets: g.targets,
    weights: o.weighted ? g.weights : new Float64Array(g.targets.length).fill(1),
    loops: new Float64Array(g.n),
  };
  // membership[v] = node of the current level that original node v belongs to
  const membership = new Int32Array(g.n);
  for (let v = 0; v < g.n; v++) membership[v] = v;
  let levels = 0;
  for (; levels < o.maxLevels; levels++) {
    const { comm, moved } = localMoving(level, o.resolution, o.tolerance, rng);
    if (!moved) break;
    const { next, renum } = aggregate(level, comm);
    for (let v = 0; v < g.n; v++) membership[v] = renum[comm[membership[v]]];
    level = next;
    if (level.n === 1) {
      levels++;
      break;
    }
  }
  // Number communities by first appearance in node order, so labels do not depend on internals.
  const relabel = new Int32Array(level.n).fill(-1);
  let count = 0;
  const communities = new Int32Array(g.n);
  for (let v = 0; v < g.n; v++) {
    const c = membership[v];
    if (relabel[c] < 0) relabel[c] = count++;
    communities[v] = relabel[c];
  }
  return {
    communities,
    count,
    modularity: modularity(g, communities, { weighted: o.weighted, resolution: o.resolution }),
    levels,
  };
}

function localMoving(
  L: Level,
  resolution: number,
  tolerance: number,
  rng: () => number,
): { comm: Int32Array; moved: boolean } {
  const { n, offsets, targets, weights, loops } = L;
  const k = new Float64Array(n);
  let m2 = 0;
  for (let v = 0; v < n; v++) {
    let s = 2 * loops[v];
    for (let p = offsets[v]; p < offsets[v + 1]; p++) s += weights[p];
    k[v] = s;
    m2 += s;
  }
  const comm = new Int32Array(n);
  const tot = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    comm[v] = v;
    tot[v] = k[v];
  }
  if (m2 === 0) return { comm, moved: false };
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const neighW = new Float64Array(n).fill(-1);
  const touched = new Int32Array(n);
  let movedAny = false;
  for (let pass = 0; pass < 1000; pass++) {
    let gain = 0;
    let moves = 0;
    for (let oi = 0; oi < n; oi++) {
      const v = order[oi];
      const cv = comm[v];
      const kv = k[v];
      let nt = 0;
      neighW[cv] = 0;
      touched[nt++] = cv;
      for (let p = offsets[v]; p < offsets[v + 1]; p++) {
        const c = comm[targets[p]];
        if (neighW[c] < 0) {
          neighW[c] = 0;
          touched[nt++] = c;
        }
        neighW[c] += weights[p];
      }
      tot[cv] -= kv;
      const scale = (resolution * kv) / m2;
      let best = cv;
      let bestGain = neighW[cv] - tot[cv] * scale;
      const stay = bestGain;
      for (let i = 1; i < nt; i++) {
        const c = touched[i];
        const gc = neighW[c] - tot[c] * scale;
        if (gc > bestGain) {
          bestGain = gc;
          best = c;
        }
      }
      tot[best] += kv;
      if (best !== cv) {
        comm[v] = best;
        moves++;
        gain += (bestGain - stay) / (m2 / 2);
      }
      for (let i = 0; i < nt; i++) neighW[touched[i]] = -1;
    }
    if (moves > 0) movedAny = true;
    if (moves === 0 || gain <= tolerance) break;
  }
  return { comm, moved: movedAny };
}

function aggregate(L: Level, comm: Int32Array): { next: Level; renum: Int32Array } {
  const { n, offsets, targets, weights, loops } = L;
  const renum = new Int32Array(n).fill(-1);
  let c = 0;
  for (let v = 0; v < n; v++) if (renum[comm[v]] < 0) renum[comm[v]] = c++;
  // Members of each new node, so its arcs can be summed with one scratch row.
  const memberStart = new Int32Array(c + 1);
  for (let v = 0; v < n; v++) memberStart[renum[comm[v]] + 1]++;
  for (let i = 0; i < c; i++) memberStart[i + 1] += memberStart[i];
  const fill = memberStart.slice(0, c);
  const members = new Int32Array(n);
  for (let v = 0; v < n; v++) members[fill[renum[comm[v]]]++] = v;
  const newLoops = new Float64Array(c);
  const acc = new Float64Array(c);
  const seen = new Int32Array(c).fill(-1);
  const outOffsets = new Int32Array(c + 1);
  const outTargets: number[] = [];
  const outWeights: number[] = [];
  const list: number[] = [];
  for (let a = 0; a < c; a++) {
    list.length = 0;
    for (let i = memberStart[a]; i < memberStart[a + 1]; i++) {
      const v = members[i];
      newLoops[a] += loops[v];
      for (let p = offsets[v]; p < offsets[v + 1]; p++) {
        const b = renum[comm[targets[p]]];
        if (b === a) {
          // Each internal edge is seen from both ends.
          newLoops[a] += weights[p] / 2;
          continue;
        }
        if (seen[b] !== a) {
          seen[b] = a;
          acc[b] = 0;
          list.push(b);
        }
        acc[b] += weights[p];
      }
    }
    for (const b of list) {
      outTargets.push(b);
      outWeights.push(acc[b]);
    }
    outOffsets[a + 1] = outTargets.length;
  }
  return {
    next: {
      n: c,
      offsets: outOffsets,
      targets: Int32Array.from(outTargets),
      weights: Float64Array.from(outWeights),
      loops: newLoops,
    },
    renum,
  };
}

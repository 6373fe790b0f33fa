// A seeded random graph with community structure, for benchmarks and property tests: nodes fall into
// communities of `communitySize`; each link joins two members of one community with probability
// 1 - mixing, otherwise two nodes anywhere. Link strengths are integers 1..5.
import { mulberry32 } from './random.ts';

export interface CommunityGraphOptions {
  n: number;
  meanDegree?: number;
  communitySize?: number;
  mixing?: number;
  seed?: number;
}
export const COMMUNITY_GRAPH_DEFAULTS = { meanDegree: 10, communitySize: 50, mixing: 0.1, seed: 1 };

export interface EdgeArrays {
  n: number;
  us: Int32Array;
  vs: Int32Array;
  ws: Float64Array;
}

export function communityGraph(options: CommunityGraphOptions): EdgeArrays {
  const o = { ...COMMUNITY_GRAPH_DEFAULTS, ...options };
  const rng = mulberry32(o.seed);
  const target = Math.round((o.n * o.meanDegree) / 2);
  const seen = new Set<number>();
  const us: number[] = [];
  const vs: number[] = [];
  const ws: number[] = [];
  const communities = Math.max(1, Math.ceil(o.n / o.communitySize));
  let guard = 0;
  while (us.length < target && guard++ < target * 20) {
    const u = Math.floor(rng() * o.n);
    let v: number;
    if (rng() < o.mixing) v = Math.floor(rng() * o.n);
    else {
      const c = Math.floor(u / o.communitySize);
      const lo = c * o.communitySize;
      const hi = c === communities - 1 ? o.n : lo + o.communitySize;
      v = lo + Math.floor(rng() * (hi - lo));
    }
    if (u === v) continue;
    const key = u < v ? u * o.n + v : v * o.n + u;
    if (seen.has(key)) continue;
    seen.add(key);
    us.push(u);
    vs.push(v);
    ws.push(1 + Math.floor(rng() * 5));
  }
  return { n: o.n, us: Int32Array.from(us), vs: Int32Array.from(vs), ws: Float64Array.from(ws) };
}

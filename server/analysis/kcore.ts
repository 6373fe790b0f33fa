// Core number of each node (Batagelj and Zaversnik's O(m) bucket algorithm): the largest k such that the
// node belongs to a subgraph where every node has at least k neighbours. Direction is ignored (a directed
// graph is read as its undirected version), which is how networkx's core_number is compared here.
import type { CSR } from './csr.ts';
import { undirectedCSR } from './csr.ts';

export function coreNumber(graph: CSR): Int32Array {
  const g = undirectedCSR(graph);
  const n = g.n;
  const deg = new Int32Array(n);
  let maxDeg = 0;
  for (let v = 0; v < n; v++) {
    deg[v] = g.offsets[v + 1] - g.offsets[v];
    if (deg[v] > maxDeg) maxDeg = deg[v];
  }
  const bin = new Int32Array(maxDeg + 2);
  for (let v = 0; v < n; v++) bin[deg[v]]++;
  let start = 0;
  for (let d = 0; d <= maxDeg; d++) {
    const c = bin[d];
    bin[d] = start;
    start += c;
  }
  const pos = new Int32Array(n);
  const vert = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    pos[v] = bin[deg[v]]++;
    vert[pos[v]] = v;
  }
  for (let d = maxDeg; d > 0; d--) bin[d] = bin[d - 1];
  bin[0] = 0;
  for (let i = 0; i < n; i++) {
    const v = vert[i];
    for (let p = g.offsets[v]; p < g.offsets[v + 1]; p++) {
      const u = g.targets[p];
      if (deg[u] > deg[v]) {
        const du = deg[u];
        const pu = pos[u];
        const pw = bin[du];
        const w = vert[pw];
        if (u !== w) {
          pos[u] = pw;
          vert[pu] = w;
          pos[w] = pu;
          vert[pw] = u;
        }
        bin[du]++;
        deg[u]--;
      }
    }
  }
  return deg;
}

// Connected components (weakly connected on directed graphs: direction is ignored, as analysts ask
// "is there any chain between these people"). Component ids are numbered in order of their lowest node.
import type { CSR } from './csr.ts';

export interface Components {
  /** Component id per node. */
  labels: Int32Array;
  count: number;
  /** Size per component id. */
  sizes: Int32Array;
  /** Id of the largest component (lowest id on ties); -1 on an empty graph. */
  largest: number;
}

export function connectedComponents(g: CSR, removed: Uint8Array | null = null): Components {
  const n = g.n;
  const labels = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const sizes: number[] = [];
  for (let s = 0; s < n; s++) {
    if (labels[s] >= 0 || (removed && removed[s])) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    labels[s] = id;
    while (head < tail) {
      const v = queue[head++];
      for (let p = g.offsets[v]; p < g.offsets[v + 1]; p++) {
        const w = g.targets[p];
        if (labels[w] < 0 && !(removed && removed[w])) {
          labels[w] = id;
          queue[tail++] = w;
        }
      }
      if (g.directed) {
        for (let p = g.inOffsets[v]; p < g.inOffsets[v + 1]; p++) {
          const w = g.inTargets[p];
          if (labels[w] < 0 && !(removed && removed[w])) {
            labels[w] = id;
            queue[tail++] = w;
          }
        }
      }
    }
    sizes.push(tail);
  }
  let largest = -1;
  for (let c = 0; c < sizes.length; c++) if (largest < 0 || sizes[c] > sizes[largest]) largest = c;
  return { labels, count: sizes.length, sizes: Int32Array.from(sizes), largest };
}

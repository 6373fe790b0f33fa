// Where the CLIs get a graph: a network file in any format the parsers read, or `store` (the configured
// GraphStore, through a view).
import { readFileSync } from 'node:fs';
import { fromPlainGraph, type CSR } from '../analysis/csr.ts';
import { buildView, type ViewOptions } from '../analysis/view.ts';
import { parseNetworkFile } from '../import/formats/network-files.ts';

export interface LoadedGraph {
  csr: CSR;
  labels: string[];
  description: string;
}

export async function loadGraphSource(
  source: string,
  opts: { directed?: boolean; view?: ViewOptions } = {},
): Promise<LoadedGraph> {
  if (source === 'store') {
    const { openStore } = await import('../store/open-store.ts');
    const store = await openStore();
    try {
      const view = opts.view ?? {};
      const sg = await store.subgraph(view.filter ?? {});
      const v = buildView(sg, { ...view, directed: opts.directed ?? view.directed });
      const notes = v.notes.length ? `; ${v.notes.join('; ')}` : '';
      return {
        csr: v.csr,
        labels: v.labels,
        description: `store (${store.kind}, data version ${sg.dataVersion}${sg.truncated ? ', TRUNCATED' : ''})${notes}`,
      };
    } finally {
      await store.close();
    }
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${source}: ${(e as Error).message}`, { cause: e });
  }
  const nf = parseNetworkFile(text, { directed: opts.directed });
  const csr = fromPlainGraph(nf, opts.directed === undefined ? {} : { directed: opts.directed });
  return { csr, labels: nf.nodes.map((x) => x.label), description: `${source} (${nf.format})` };
}

// Where the CLIs get a graph: a network file in any format the parsers read, or `store` (the configured
// store's graph, through a view).
import { readFileSync } from 'node:fs';
import { fromPlainGraph, type CSR } from '../analysis/csr.ts';
import { buildView, type ViewOptions } from '../analysis/view.ts';
import { parseNetworkFile, type ParseNetworkOptions } from '../import/formats/network-files.ts';

/** Command-line flags that shape a store view (see server/analysis/view.ts). */
export const VIEW_FLAGS = {
  'fold-phones': { type: 'boolean' },
  via: { type: 'string' },
  grading: { type: 'string' },
  'half-life': { type: 'string' },
  'min-grading': { type: 'string' },
} as const;
export const VIEW_FLAGS_USAGE =
  'store views: [--fold-phones] [--via Event,Vehicle,Location] [--grading weight] [--half-life DAYS] [--min-grading 2C]';

/** View options from parsed flags; throws with the flag's name when a value is wrong. */
export function viewFromFlags(v: {
  'fold-phones'?: boolean;
  via?: string;
  grading?: string;
  'half-life'?: string;
  'min-grading'?: string;
}): ViewOptions {
  const via = v.via ? v.via.split(',').map((x) => x.trim()) : [];
  for (const x of via) {
    if (!['Event', 'Vehicle', 'Location'].includes(x))
      throw new Error(`--via: ${JSON.stringify(x)} is not Event, Vehicle or Location`);
  }
  if (v.grading && v.grading !== 'weight' && v.grading !== 'ignore')
    throw new Error('--grading is weight or ignore');
  const halfLife = v['half-life'] === undefined ? undefined : Number(v['half-life']);
  if (halfLife !== undefined && !(halfLife > 0))
    throw new Error(`--half-life must be a number of days above 0, got ${v['half-life']}`);
  let minGrading: { source: 1 | 2 | 3; intel: 'A' | 'B' | 'C' | 'D' | 'E' } | undefined;
  if (v['min-grading']) {
    const m = /^([123])([A-E])$/.exec(v['min-grading'].trim().toUpperCase());
    if (!m) throw new Error(`--min-grading is a grading such as 2C, got ${v['min-grading']}`);
    minGrading = { source: Number(m[1]) as 1 | 2 | 3, intel: m[2] as 'A' | 'B' | 'C' | 'D' | 'E' };
  }
  return {
    filter: minGrading ? { minGrading } : {},
    projection: {
      foldPhones: v['fold-phones'] ?? false,
      personVia: via as Array<'Event' | 'Vehicle' | 'Location'>,
    },
    grading: (v.grading as 'weight' | 'ignore' | undefined) ?? 'ignore',
    halfLifeDays: halfLife,
  };
}

export interface LoadedGraph {
  csr: CSR;
  labels: string[];
  description: string;
  /** Files: what the reader did beyond reading rows (header, drops, folding), to show the analyst. */
  notes: string[];
}

export async function loadGraphSource(
  source: string,
  opts: {
    directed?: boolean;
    view?: ViewOptions;
    /** Files: header, format; `directed: false` folds a directed file's two directions (summed). */
    file?: Pick<ParseNetworkOptions, 'header' | 'format'>;
  } = {},
): Promise<LoadedGraph> {
  if (source === 'store') {
    const { openStore } = await import('../store/open-store.ts');
    const stores = await openStore();
    try {
      const view = opts.view ?? {};
      // The command line on the server is the system, not a user's request: the whole store (scope 'all').
      const sg = await stores.graph.subgraph(view.filter ?? {});
      const v = buildView(sg, { ...view, directed: opts.directed ?? view.directed });
      const notes = v.notes.length ? `; ${v.notes.join('; ')}` : '';
      return {
        csr: v.csr,
        labels: v.labels,
        description: `store (${stores.kind}, data version ${sg.dataVersion}${sg.truncated ? ', TRUNCATED' : ''})${notes}`,
        notes: [],
      };
    } finally {
      await stores.close();
    }
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${source}: ${(e as Error).message}`, { cause: e });
  }
  const nf = parseNetworkFile(text, { ...opts.file, directed: opts.directed });
  const csr = fromPlainGraph(nf, opts.directed === undefined ? {} : { directed: opts.directed });
  const notes = [...nf.notes];
  if (csr.directed && opts.directed === undefined)
    notes.push(
      'directed file, ranked with its directions; an import stores one undirected link per pair (the two ' +
        'directions summed), so `analyse store` ranks it as --undirected does here',
    );
  return { csr, labels: nf.nodes.map((x) => x.label), description: `${source} (${nf.format})`, notes };
}

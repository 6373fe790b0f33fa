// Shared by the reference tests: load networkx expectations and build the same graph in TypeScript.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { fromPlainGraph, type CSR } from '../../server/analysis/csr.ts';
import { parseNetworkFile } from '../../server/import/formats/network-files.ts';

export const EXPECTED_DIR = fileURLToPath(new URL('../reference/expected/', import.meta.url));
export const DATASETS_DIR = process.env.LINKCHART_DATASETS
  ? `${process.env.LINKCHART_DATASETS.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
export const HAVE_DATASETS = existsSync(DATASETS_DIR);

export interface NetworkState {
  lccShare: number;
  components: number;
  pairwiseConnectivity: number;
  efficiency: number;
}
export interface Expected {
  name: string;
  source: string;
  directed: boolean;
  nodes: string[];
  edges: Array<[string, string, number]>;
  metrics: Record<string, number[] | null>;
  articulationPoints: string[];
  bridges: Array<[string, string]>;
  components: number[];
  modularityOfFixedPartition: { labels: number[]; weighted: number; unweighted: number };
  louvainModularity: number;
  disruption?: {
    sequentialBetweenness: Array<NetworkState & { removed: string }>;
    blockBetweenness: Array<NetworkState & { removed: string[] }>;
    greedyKeyPlayer: Array<NetworkState & { removed: string }>;
  };
}

export const BUILTIN = ['karate', 'florentine', 'krackhardt', 'generated'];
export const DATASETS: Record<string, string> = {
  siren: 'morselli_siren.csv',
  london_gang: 'LONDON_GANG.csv',
  montagna_meetings: 'Montagna_meetings_edgelist.csv',
  caviar: 'morselli_caviar.csv',
};

export function loadExpected(name: string): Expected {
  return JSON.parse(readFileSync(`${EXPECTED_DIR}${name}.json`, 'utf8')) as Expected;
}

/** Built-in graphs come from the JSON's edge list; real networks are parsed from the file by our parser. */
export function graphFor(exp: Expected): CSR {
  const file = DATASETS[exp.name];
  if (file) {
    const nf = parseNetworkFile(readFileSync(`${DATASETS_DIR}${file}`, 'utf8'));
    return fromPlainGraph(nf);
  }
  return fromPlainGraph(
    {
      nodes: exp.nodes.map((id) => ({ id })),
      edges: exp.edges.map(([source, target, weight]) => ({
        source,
        target,
        weight,
        directed: exp.directed,
      })),
    },
    { directed: exp.directed },
  );
}

export const TOL = 1e-6;

/** Scores within 1e-6, and the same order wherever networkx's scores are more than 1e-6 apart. */
export function expectScores(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > TOL) {
      throw new Error(`${what}: node ${i} is ${actual[i]}, networkx says ${expected[i]}`);
    }
  }
  const order = expected.map((_, i) => i).sort((a, b) => expected[b] - expected[a]);
  for (let r = 0; r + 1 < order.length; r++) {
    const a = order[r];
    const b = order[r + 1];
    if (expected[a] - expected[b] > TOL && !(actual[a] > actual[b])) {
      throw new Error(`${what}: rank ${r + 1} differs (node ${a} should rank above node ${b})`);
    }
  }
}

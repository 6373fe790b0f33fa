// Likely duplicates: pairs of entities of one type that are probably one subject, each with a Fellegi-Sunter
// match weight and its evidence in words. Pure: records in, proposals out, no I/O (records.ts reads them from a
// store). The review queue (queue-*.ts) stores proposals by fingerprint, so a rejected pair comes back only
// when the evidence behind it changes.
import { createHash } from 'node:crypto';
import { blockingKeys, PROBE } from './blocking.ts';
import {
  comparePeople,
  comparePhones,
  compareVehicles,
  nameKey,
  type Comparison,
  type Frequencies,
} from './compare.ts';
import { comparedInputs, prepare, type Prepared } from './prepare.ts';
import type { Proposal, ResolverRecord } from './types.ts';

export type { Proposal, ResolverRecord } from './types.ts';

export interface ResolverOptions {
  /** Propose a pair whose match weight is at least this (log2 odds). */
  threshold: number;
  /** A block (records sharing one key, e.g. everyone born on one day) with more pairs than this is skipped. */
  maxPairsPerBlock: number;
  /** Prior probability that two records of one block are one subject (sets `probability`). */
  prior: number;
  /** Entity types to resolve; others are ignored. */
  types: string[];
  /** Compare only pairs with at least one of these ids (e.g. what one import brought in). */
  onlyIds?: string[];
}

export const RESOLVER_DEFAULTS: ResolverOptions = {
  threshold: 10,
  maxPairsPerBlock: 5_000,
  prior: 1 / 1000,
  types: ['Person', 'Phone', 'Vehicle'],
};

export interface ResolverStats {
  records: number;
  blocks: number;
  /** Blocks too common to compare within (their keys, at most 20, for the log). */
  skippedBlocks: number;
  skippedKeys: string[];
  comparisons: number;
  proposals: number;
}

/** Proposals, strongest first. */
export function findDuplicates(
  records: ResolverRecord[],
  options: Partial<ResolverOptions> = {},
): Proposal[] {
  return resolve(records, options).proposals;
}

/** findDuplicates with figures on the work done (for the bench and the log). */
export function resolve(
  records: ResolverRecord[],
  options: Partial<ResolverOptions> = {},
): { proposals: Proposal[]; stats: ResolverStats } {
  const opts = { ...RESOLVER_DEFAULTS, ...options };
  const wanted = new Set(opts.types);
  const prepared: Prepared[] = [];
  for (const r of records) if (wanted.has(r.type)) prepared.push(prepare(r));
  const freq = frequencies(prepared);
  const only = opts.onlyIds ? new Set(opts.onlyIds) : null;

  // Each block lists its records; a probe record (blocking.ts PROBE) is stored as -(i + 1).
  const blocks = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    for (const raw of new Set(blockingKeys(p))) {
      const probe = raw.startsWith(PROBE);
      const k = probe ? raw.slice(1) : raw;
      const b = blocks.get(k);
      const v = probe ? -(i + 1) : i;
      if (b) b.push(v);
      else blocks.set(k, [v]);
    }
  });

  const stats: ResolverStats = {
    records: prepared.length,
    blocks: 0,
    skippedBlocks: 0,
    skippedKeys: [],
    comparisons: 0,
    proposals: 0,
  };
  // Every candidate pair from every block, as one number each, sorted so a pair two blocks share is compared
  // once (a typed array sorts millions of these without the garbage a Set of pairs makes).
  const n = prepared.length;
  let pairs = new Float64Array(1 << 16);
  let count = 0;
  const push = (i: number, j: number) => {
    if (count === pairs.length) {
      const grown = new Float64Array(pairs.length * 2);
      grown.set(pairs);
      pairs = grown;
    }
    pairs[count++] = i < j ? i * n + j : j * n + i;
  };
  for (const [key, block] of blocks) {
    if (block.length < 2) continue;
    const hasProbes = key.includes('|i:') || key.includes('|f:');
    const all = block.map((v) => (v < 0 ? -v - 1 : v));
    const probes = hasProbes ? block.filter((v) => v < 0).map((v) => -v - 1) : [];
    const inBlock = hasProbes ? probes.length * (all.length - 1) : (all.length * (all.length - 1)) / 2;
    if (inBlock === 0) continue;
    stats.blocks++;
    if (inBlock > opts.maxPairsPerBlock) {
      stats.skippedBlocks++;
      if (stats.skippedKeys.length < 20) stats.skippedKeys.push(`${key} (${all.length})`);
      continue;
    }
    if (hasProbes) {
      for (const i of probes) for (const j of all) if (i !== j) push(i, j);
    } else {
      for (let s = 0; s < all.length; s++) for (let t = s + 1; t < all.length; t++) push(all[s], all[t]);
    }
  }
  blocks.clear();
  const sorted = pairs.subarray(0, count).sort();
  const proposals: Proposal[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const code = sorted[k];
    if (k > 0 && code === sorted[k - 1]) continue;
    const x = prepared[Math.floor(code / n)];
    const y = prepared[code % n];
    if (only && !only.has(x.record.id) && !only.has(y.record.id)) continue;
    stats.comparisons++;
    const c = compare(x, y, freq);
    if (c.weight >= opts.threshold + sizeTerm(freq.total.get(x.record.type) ?? 0)) {
      proposals.push(toProposal(x, y, c, opts.prior));
    }
  }
  proposals.sort((p, q) => q.weight - p.weight || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
  stats.proposals = proposals.length;
  return { proposals, stats };
}

function compare(x: Prepared, y: Prepared, freq: Frequencies): Comparison {
  switch (x.record.type) {
    case 'Person':
      return comparePeople(x, y, freq);
    case 'Phone':
      return comparePhones(x, y);
    case 'Vehicle':
      return compareVehicles(x, y);
    default:
      return { weight: 0, evidence: [] };
  }
}

function frequencies(prepared: Prepared[]): Frequencies {
  const f: Frequencies = { total: new Map(), names: new Map(), dobs: new Map() };
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const p of prepared) {
    inc(f.total, p.record.type);
    if (p.name) inc(f.names, nameKey(p.name));
    if (p.dob) inc(f.dobs, p.dob.raw);
  }
  return f;
}

function toProposal(x: Prepared, y: Prepared, c: Comparison, prior: number): Proposal {
  const [p, q] = x.record.id < y.record.id ? [x, y] : [y, x];
  return {
    a: p.record.id,
    b: q.record.id,
    type: p.record.type,
    weight: Math.round(c.weight * 100) / 100,
    probability: posterior(c.weight, prior),
    evidence: c.evidence,
    fingerprint: createHash('sha256')
      .update(comparedInputs(p))
      .update('\n')
      .update(comparedInputs(q))
      .digest('hex')
      .slice(0, 32),
  };
}

/** P(match | weight) from the prior odds and the log2 likelihood ratio. */
export function posterior(weight: number, prior: number): number {
  const odds = (prior / (1 - prior)) * 2 ** weight;
  return odds / (1 + odds);
}

/**
 * More records, more strangers who agree by chance: the prior odds that a pair is one subject fall with the
 * number of records (Fellegi-Sunter's prior term is log2 of them). Past 10,000 records of a type the bar
 * rises by half that term: blocking already keeps most chance pairs apart, and half is what the labelled set
 * at 100k people showed (bench/suites/45-dedupe.ts: precision 0.92 to 0.95 at the same recall).
 */
export function sizeTerm(records: number): number {
  return records > 10_000 ? 0.5 * Math.log2(records / 10_000) : 0;
}

// Likely duplicates: pairs of entities of one type that are probably one subject, each with a Fellegi-Sunter
// match weight and its evidence in words. Pure: records in, proposals out, no I/O (records.ts reads them from a
// store). The review queue (queue-*.ts) stores proposals by fingerprint, so a rejected pair comes back only
// when the evidence behind it changes.
import { createHash } from 'node:crypto';

/** One entity as the resolver sees it: what it is called, what it carries and what it is linked to. */
export interface ResolverRecord {
  id: string;
  /** Entity type as in server/domain/model.ts (Person, Phone, Vehicle, ...). */
  type: string;
  label: string;
  /** dob, givenName/familyName, externalRef, imei/imsi, vrm, number: whatever the entity carries. */
  attributes: Record<string, unknown>;
  /** Phones, vehicles, addresses (and, for a phone or vehicle, the people) it is linked to. */
  linked: { id: string; type: string; label: string; relation: string }[];
}

/** A pair that is probably one subject. */
export interface Proposal {
  /** The two entity ids, a < b (string order). */
  a: string;
  b: string;
  type: string;
  /** Fellegi-Sunter match weight: the sum of log2(m/u) over the compared fields. */
  weight: number;
  /** Posterior probability of a match given the weight and the prior. */
  probability: number;
  /** The evidence in an analyst's words: "same date of birth", "names differ by one letter". */
  evidence: string[];
  /** Hash of the compared inputs of both records: changes when the evidence changes. */
  fingerprint: string;
}

export interface ResolverOptions {
  /** Propose a pair whose match weight is at least this (log2 odds). */
  threshold: number;
  /** A blocking key shared by more records than this is too common to compare within (e.g. "J SMITH"). */
  maxPairsPerBlock: number;
  /** Prior probability that two records of one block are one subject (sets `probability`). */
  prior: number;
  /** Entity types to resolve; others are ignored. */
  types: string[];
}

export const RESOLVER_DEFAULTS: ResolverOptions = {
  threshold: 8,
  maxPairsPerBlock: 5_000,
  prior: 1 / 1000,
  types: ['Person', 'Phone', 'Vehicle'],
};

/** Proposals, strongest first. */
export function findDuplicates(
  records: ResolverRecord[],
  options: Partial<ResolverOptions> = {},
): Proposal[] {
  const opts = { ...RESOLVER_DEFAULTS, ...options };
  const wanted = new Set(opts.types);
  const blocks = new Map<string, ResolverRecord[]>();
  for (const r of records) {
    if (!wanted.has(r.type)) continue;
    const k = `${r.type}|${r.label.trim().toLowerCase().replace(/\s+/g, ' ')}`;
    const b = blocks.get(k);
    if (b) b.push(r);
    else blocks.set(k, [r]);
  }
  const out: Proposal[] = [];
  for (const block of blocks.values()) {
    if ((block.length * (block.length - 1)) / 2 > opts.maxPairsPerBlock) continue;
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const [x, y] = block[i].id < block[j].id ? [block[i], block[j]] : [block[j], block[i]];
        const evidence = ['same name'];
        let weight = 6;
        const dx = x.attributes['dob'];
        const dy = y.attributes['dob'];
        if (dx && dy && dx === dy) {
          weight += 8;
          evidence.push('same date of birth');
        } else if (dx && dy) weight -= 10;
        if (weight < opts.threshold) continue;
        out.push({
          a: x.id,
          b: y.id,
          type: x.type,
          weight,
          probability: posterior(weight, opts.prior),
          evidence,
          fingerprint: fingerprint(x, y),
        });
      }
    }
  }
  return out.sort((p, q) => q.weight - p.weight || (p.a < q.a ? -1 : p.a > q.a ? 1 : 0));
}

/** P(match | weight) from the prior odds and the log2 likelihood ratio. */
export function posterior(weight: number, prior: number): number {
  const odds = (prior / (1 - prior)) * 2 ** weight;
  return odds / (1 + odds);
}

/** Hash of what was compared: both records' labels, attributes and links, in a stable order. */
export function fingerprint(x: ResolverRecord, y: ResolverRecord): string {
  const side = (r: ResolverRecord) => ({
    id: r.id,
    label: r.label,
    attributes: Object.keys(r.attributes)
      .sort()
      .map((k) => [k, r.attributes[k]]),
    linked: r.linked.map((l) => `${l.relation}:${l.id}`).sort(),
  });
  return createHash('sha256')
    .update(JSON.stringify([side(x), side(y)]))
    .digest('hex')
    .slice(0, 32);
}

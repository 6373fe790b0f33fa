// A sampled ranking's stated accuracy in an analyst's words: one short line for the Ranks panel and the
// analysis record ("Sampled: top 100 separated"), and a longer explanation for its tooltip. The one place
// these words are made: the web app (Ranks panel, the briefing's record, the export parameters) and the
// server (the analysis record of data exports, server/export/collect.ts) both call it, so the screen, the
// PDF and the files say the same thing. Pure: no I/O, importable by the web app.
//
// It reads any of the bounds a ranking can carry: the KADABRA bound of sampled betweenness
// (betweenness-sampled.ts BetweennessBound: epsilon, delta, samples, stoppedBy, topK, topKCertain,
// topKRelative), the Hoeffding bound of a ranking from k starting points (betweenness.ts SamplingBound:
// pivots) and sampled closeness (closeness-sampled.ts). Fields it does not know are ignored, and a reason
// to stop it does not know is named as it came, so a newer server's bound still reads.

/** The fields of a ranking's error bound the words use; all but epsilon and delta may be absent. */
export interface BoundLike {
  /** Every score within ±epsilon of the exact one (score units), with probability 1 - delta. */
  epsilon: number;
  delta: number;
  /** Paths (or starting points) sampled. */
  samples?: number;
  /** Starting points, for a ranking from k of them (Hoeffding). */
  pivots?: number;
  stoppedBy?: string;
  topK?: number | null;
  topKCertain?: number | null;
  topKRelative?: number | null;
}

export interface BoundWords {
  /** One line: "Sampled: 37 of the top 100 certain; scores ±0.00004 at 99% confidence". */
  headline: string;
  /** What that means and why sampling stopped, for a tooltip or the record's note. */
  detail: string;
}

/** A number as a person writes it, to `digits` significant figures, never in e-notation: 0.00004, 12,000. */
export function plainNumber(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const rounded = Number(x.toPrecision(digits));
  const abs = Math.abs(rounded);
  if (abs >= 1) return rounded.toLocaleString('en-GB', { maximumFractionDigits: Math.max(0, digits - 1) });
  const places = Math.min(20, digits - 1 - Math.floor(Math.log10(abs)));
  return rounded
    .toFixed(places)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** "99%" from delta 0.01; "99.9%" from 0.001. */
export function confidenceWords(delta: number): string {
  return `${+(100 * (1 - delta)).toPrecision(4)}%`;
}

const count = (n: number): string => n.toLocaleString('en-GB');

/** Why sampling stopped, completing "Sampling stopped because …". */
function stopReason(b: BoundLike): string {
  const k = b.topK ?? null;
  switch (b.stoppedBy) {
    case undefined:
      return b.pivots !== undefined
        ? `it ranks from ${count(b.pivots)} starting points chosen at random, as asked`
        : 'it drew the number of samples set for it';
    case 'adaptive':
      return 'every score had reached the accuracy asked for';
    case 'vertexDiameter':
      return 'enough paths were drawn for the accuracy to hold on any network of this size and shape';
    case 'topKSeparated':
      return `the top ${k ?? '?'} were set apart from everyone else`;
    case 'topKRelative':
      return `each of the top ${k ?? '?'} was within ±${Math.ceil(100 * (b.topKRelative ?? 0))}% of its own score`;
    case 'sampleCap':
      return `it reached the most paths a ranking draws (${count(b.samples ?? 0)})`;
    case 'timeBudget':
    case 'time':
    case 'deadline':
      return 'it reached the time a ranking may take';
    case 'trivial':
      return 'the network is too small to need sampling; the scores are exact';
    default:
      return `of ${b.stoppedBy}`;
  }
}

/**
 * The words for a sampled ranking's bound. With a top-k bound: "top 100 separated" when all k are certain,
 * else how many of them are certain, and the score error; without: the score error alone.
 */
export function describeSampledBound(b: BoundLike): BoundWords {
  const conf = confidenceWords(b.delta);
  const eps = plainNumber(b.epsilon);
  const k = b.topK ?? null;
  const certain = b.topKCertain ?? null;
  const relative = b.topKRelative ?? null;
  if (b.stoppedBy === 'trivial')
    return {
      headline: 'Exact (the network is too small to need sampling)',
      detail: 'Every pair of entities was counted: the scores are exact.',
    };

  // The share each of the top k is within, rounded up as the server's own explanation rounds it.
  const within = relative !== null ? `±${Math.ceil(100 * relative)}%` : null;
  let headline: string;
  if (k !== null && certain !== null && certain >= k) headline = `Sampled: top ${count(k)} separated`;
  else if (k !== null && b.stoppedBy === 'topKRelative' && within)
    headline = `Sampled: each of the top ${count(k)} within ${within} of its score; ${count(certain ?? 0)} of them certain`;
  else if (k !== null && certain !== null)
    headline = `Sampled: ${count(certain)} of the top ${count(k)} certain; scores ±${eps} at ${conf} confidence`;
  else if (b.pivots !== undefined)
    headline = `Sampled from ${count(b.pivots)} starting points: scores ±${eps} at ${conf} confidence`;
  else headline = `Sampled: scores ±${eps} at ${conf} confidence`;

  const drawn =
    b.pivots !== undefined
      ? `These scores were counted from ${count(b.pivots)} starting points chosen at random, not from every entity.`
      : `These scores were estimated from ${count(b.samples ?? 0)} shortest paths drawn at random, not from every pair of entities (the network is too large to count them all in time).`;
  const parts = [drawn];
  parts.push(
    `With ${conf} confidence every score is within ±${eps} of the exact value, so entities whose scores differ by less than about twice that may be in either order.`,
  );
  if (k !== null && certain !== null)
    parts.push(
      certain >= k
        ? `The top ${count(k)} are certain (at ${conf} confidence): each one's lowest possible score is above every other entity's highest, so no entity outside them belongs in the top ${count(k)}; their order among themselves may still differ slightly from an exact count.`
        : `${count(certain)} of the top ${count(k)} are certain to belong there (at ${conf} confidence); the other ${count(k - certain)} could swap with entities just below them.`,
    );
  if (k !== null && within)
    parts.push(`Each of the top ${count(k)} is within ${within} of its own score (at ${conf} confidence).`);
  parts.push(`Sampling stopped because ${stopReason(b)}.`);
  return { headline, detail: parts.join(' ') };
}

/**
 * The analysis record's lines on a ranking's accuracy (the briefing PDF's "Accuracy" and "Accuracy
 * explained"), from its bound: null for an exact ranking.
 */
export function accuracyRecord(b: BoundLike | null | undefined): Record<string, string> {
  if (!b) return { Accuracy: 'exact' };
  const w = describeSampledBound(b);
  const drawn = b.samples !== undefined ? ` (${count(b.samples)} samples)` : '';
  return { Accuracy: `${w.headline}${drawn}`, 'Accuracy explained': w.detail };
}

/** The accuracy of a ranking in words: exact, or its sampled bound's headline. */
export function accuracyWords(b: BoundLike | null | undefined): string {
  return b ? describeSampledBound(b).headline : 'exact';
}

/** Whether a value is a bound these words can read (an export request carries it as plain JSON). */
export function isBoundLike(v: unknown): v is BoundLike {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.epsilon === 'number' &&
    Number.isFinite(o.epsilon) &&
    typeof o.delta === 'number' &&
    o.delta > 0 &&
    o.delta < 1
  );
}

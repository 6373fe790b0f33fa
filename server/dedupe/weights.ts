// Fellegi-Sunter m and u probabilities per field and agreement level: m = P(level | same subject),
// u = P(level | different subjects); a level adds log2(m/u) to a pair's match weight. Set by hand in the
// style of splink's manual settings, from what police records look like (a true duplicate keeps its date of
// birth exactly about 85 % of the time; two strangers share a birthday about 1 in 20,000 pairs), and checked
// on the labelled set (bench/suites/45-dedupe.ts). Where a value is common in the data its u is its
// frequency instead (term frequency: two "John Smith"s say less than two "Zebedee Quayle"s).

export interface Level {
  m: number;
  u: number;
}

export const log2ratio = (l: Level): number => Math.log2(l.m / l.u);

export const NAME_LEVELS = {
  /** Same given and family name; u is the name's frequency when that is higher. */
  exact: { m: 0.6, u: 1 / 1_000 },
  /** Bob and Robert, Mohammed and Muhammad (family name the same). */
  variant: { m: 0.1, u: 1 / 5_000 },
  /** Sound alike by Double Metaphone (Smith, Smyth). */
  phonetic: { m: 0.1, u: 1 / 1_000 },
  /** One letter apart or Jaro-Winkler at least 0.9 (Jonh, John). */
  close: { m: 0.12, u: 1 / 1_000 },
  /** An initial for the given name, or no given name, beside a family name that agrees. */
  initial: { m: 0.03, u: 1 / 1_000 },
  differ: { m: 0.005, u: 0.99 },
} satisfies Record<string, Level>;

/** Given and family names swapped costs this many bits against the same names the right way round. */
export const SWAPPED_PENALTY = 1;

export const DOB_LEVELS = {
  /** u: the date's frequency when that is higher. */
  exact: { m: 0.85, u: 1 / 20_000 },
  /** Day, month or year differ, or day and month swapped. */
  onePart: { m: 0.05, u: 1 / 200 },
  differ: { m: 0.01, u: 0.99 },
} satisfies Record<string, Level>;

/** The same external reference (PNC id) is near proof; two different ones count against. */
export const REFERENCE_LEVELS = {
  same: { m: 0.3, u: 1 / 1_000_000 },
  differ: { m: 0.3, u: 0.99 },
} satisfies Record<string, Level>;

/** Sharing a phone, vehicle or address (at most one of each counted). */
export const SHARED_LEVELS = {
  Phone: { m: 0.4, u: 1 / 20_000 },
  Vehicle: { m: 0.2, u: 1 / 10_000 },
  Location: { m: 0.4, u: 1 / 200 },
  Person: { m: 0.6, u: 1 / 20 },
} satisfies Record<string, Level>;

export const PHONE_LEVELS = {
  imeiSame: { m: 0.6, u: 1 / 100_000 },
  imeiDiffer: { m: 0.05, u: 0.99 },
  imsiSame: { m: 0.6, u: 1 / 100_000 },
  /** A handset moved to a new SIM is the commonest way one phone gets two records. */
  imsiDiffer: { m: 0.3, u: 0.99 },
  /** Numbers one digit apart (a mistyped number). */
  numberClose: { m: 0.4, u: 1 / 5_000 },
} satisfies Record<string, Level>;

export const VEHICLE_LEVELS = {
  /** One character apart: typed wrong, swapped, or a look-alike (O and 0). */
  markClose: { m: 0.4, u: 1 / 2_000 },
  /** Part of the mark read, or unknown characters (AB12 C?E). */
  markPartial: { m: 0.3, u: 1 / 1_000 },
  makeSame: { m: 0.9, u: 1 / 10 },
  makeDiffer: { m: 0.05, u: 0.9 },
  colourSame: { m: 0.85, u: 1 / 8 },
  colourDiffer: { m: 0.05, u: 0.875 },
} satisfies Record<string, Level>;

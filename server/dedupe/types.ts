// The resolver's records and proposals (resolver.ts re-exports them; the review queue stores proposals).

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
  /** Probability that the two are one subject, from the weight and the prior. */
  probability: number;
  /** The evidence in an analyst's words: "same date of birth", "names differ by one letter". */
  evidence: string[];
  /** Hash of the compared inputs of both records: changes when the evidence changes. */
  fingerprint: string;
}

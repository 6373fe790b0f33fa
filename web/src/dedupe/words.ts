// The queue in an analyst's words: how likely a pair is one subject, and what each decision did.
import type { RunResultOut } from '@api/duplicates.ts';

/** "very likely the same" … from the match probability. */
export function likelihoodWords(probability: number): string {
  if (probability >= 0.99) return 'almost certainly the same';
  if (probability >= 0.9) return 'very likely the same';
  if (probability >= 0.5) return 'likely the same';
  return 'possibly the same';
}

export function percent(probability: number): string {
  const p = probability * 100;
  return p >= 99.5 && p < 100 ? '>99%' : `${Math.round(p)}%`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function runWords(r: RunResultOut): string {
  const parts = [
    `Compared ${plural(r.records, 'record')}: ${plural(r.proposed, 'possible duplicate')} found`,
  ];
  if (r.created) parts.push(`${r.created} new`);
  if (r.reopened) parts.push(`${r.reopened} back because their evidence changed`);
  if (r.stillRejected) parts.push(`${r.stillRejected} already marked as different, not shown again`);
  return `${parts.join('; ')}. ${plural(r.waiting, 'pair')} waiting for a decision.`;
}

export const STATE_LABELS: Record<string, string> = {
  new: 'Waiting',
  deferred: 'Later',
  accepted: 'Merged',
  rejected: 'Not the same',
};

/** A property name as a person reads it: dob -> date of birth. */
export function attributeName(key: string): string {
  const known: Record<string, string> = {
    dob: 'date of birth',
    externalRef: 'reference',
    givenName: 'given name',
    familyName: 'family name',
    vrm: 'registration',
    imei: 'IMEI',
    imsi: 'IMSI',
  };
  return (
    known[key] ??
    key
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase()
  );
}

export const linkWords = (type: string): string => type.toLowerCase().replace(/_/g, ' ');

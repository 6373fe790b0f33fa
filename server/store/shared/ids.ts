// Public ids, the same on both backends: a kind prefix and the row's number, so an id of one kind passed
// where another is expected is simply unknown.
export const entityId = (n: number): string => `e${n}`;
export const linkId = (n: number): string => `l${n}`;
export const reportId = (n: number): string => `r${n}`;
export const targetId = (n: number): string => `t${n}`;
export const operationId = (n: number): string => `op${n}`;

/** Row id from a public id with the given prefix, or null if it is not one. */
export function parseId(id: string, prefix: string): number | null {
  if (typeof id !== 'string' || !id.startsWith(prefix)) return null;
  const s = id.slice(prefix.length);
  if (!/^[1-9]\d{0,15}$/.test(s)) return null;
  return Number(s);
}

/** Plain integer ids for annotations, charts, users, merges. */
export function parsePlainId(id: string): number | null {
  return typeof id === 'string' && /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
}

export function parseTargetId(id: string): number | null {
  return typeof id === 'string' && /^t[1-9]\d{0,15}$/.test(id) ? Number(id.slice(1)) : null;
}

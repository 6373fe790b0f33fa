// What a viewer may not see: who reported a piece of intelligence, what the report says, and the
// source details in a C code's conditions. Redaction keeps every field and its type (so response
// schemas still serialise) and replaces the content with a fixed marker.
export const WITHHELD = '[withheld]';
export const CONDITIONS_WITHHELD = 'Handling conditions apply; details withheld from viewers';

/** A report as any route returns it: reference, handling code and author together. */
function isReportLike(o: Record<string, unknown>): boolean {
  return typeof o.ref === 'string' && (o.handling === 'P' || o.handling === 'C') && 'author' in o;
}

function redactReport(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o };
  if (typeof out.author === 'string') out.author = WITHHELD;
  if (typeof out.text === 'string') out.text = '';
  if (typeof out.conditions === 'string') out.conditions = CONDITIONS_WITHHELD;
  return out;
}

/** A deep copy of a response payload with every report-shaped object redacted; other values as they were. */
export function redactForViewer<T>(payload: T, depth = 0): T {
  // Deep nesting here is a bug or an attack; beyond it we stop copying rather than recurse forever.
  if (depth > 64 || payload === null || typeof payload !== 'object') return payload;
  if (Array.isArray(payload)) return payload.map((v) => redactForViewer(v, depth + 1)) as T;
  if (payload instanceof Date || Buffer.isBuffer(payload)) return payload;
  const src = payload as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) copy[k] = redactForViewer(v, depth + 1);
  return (isReportLike(copy) ? redactReport(copy) : copy) as T;
}

// A job's result as the HTTP answer's bytes, made in the job worker. A whole-store ranking is 139k entries:
// posted as objects, the request thread rebuilt every one (structured clone) and then serialised them again
// for each fetch. Encoded here, it crosses as transferred buffers and the request thread only slices out
// the page asked for: `head` is the result's JSON up to its long list, `items` the list's entries (one
// comma between each), `ends` where each entry's bytes end.

/** The keys whose list a result is paged by (a ranking's scores, a partition's nodes). */
const PAGED_LISTS = ['scores', 'nodes'] as const;

export interface EncodedResult {
  /** The paged list's key, or null when the result has none (then `head` is the whole JSON). */
  list: string | null;
  /** `{...,"scores":[` (the other fields first), or the whole result. */
  head: Uint8Array;
  items: Uint8Array;
  /** Entry i is items[i === 0 ? 0 : ends[i - 1] + 1 .. ends[i]). */
  ends: Int32Array;
}

/** What the job ran over, named in every result so the browser can say what was computed. */
export interface ResultView {
  nodes: number;
  links: number;
  notes: string[];
  /** Entity ids and types, by node index (null: the types are not known, e.g. a network file). */
  ids: readonly string[];
  types: readonly string[] | null;
}

/**
 * The result with what the view held, and each ranked entity's type (so the browser can rank among chosen
 * types without asking again).
 */
export function describeResult(result: unknown, view: ResultView): unknown {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return result;
  const r = result as { scores?: Array<{ id: string }> };
  const described = { ...r, view: { nodes: view.nodes, links: view.links, notes: view.notes } };
  if (!Array.isArray(r.scores) || !view.types) return described;
  const types = view.types;
  const index = new Map(view.ids.map((id, i) => [id, i]));
  return {
    ...described,
    scores: r.scores.map((x) => ({ ...x, type: types[index.get(x.id) ?? -1] ?? null })),
  };
}

export function encodeResult(result: unknown): EncodedResult {
  const o = typeof result === 'object' && result !== null && !Array.isArray(result) ? result : null;
  const list = o ? (PAGED_LISTS.find((k) => Array.isArray((o as Record<string, unknown>)[k])) ?? null) : null;
  if (!o || !list) {
    return {
      list: null,
      head: Buffer.from(JSON.stringify(result) ?? 'null'),
      items: new Uint8Array(0),
      ends: new Int32Array(0),
    };
  }
  const { [list]: entries, ...rest } = o as Record<string, unknown>;
  const restJson = JSON.stringify(rest);
  const head = `${restJson.slice(0, -1)}${restJson.length > 2 ? ',' : ''}${JSON.stringify(list)}:[`;
  const parts = (entries as unknown[]).map((x) => JSON.stringify(x) ?? 'null');
  const ends = new Int32Array(parts.length);
  let at = -1;
  for (let i = 0; i < parts.length; i++) {
    at += 1 + Buffer.byteLength(parts[i], 'utf8');
    ends[i] = at;
  }
  return { list, head: Buffer.from(head), items: Buffer.from(parts.join(',')), ends };
}

/** The buffers postMessage may move rather than copy. */
export function resultTransferables(e: EncodedResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of [e.head, e.items, e.ends]) {
    // Small Buffers share Node's pool: moving the pool would take other Buffers with it.
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength)
      out.add(a.buffer);
  }
  return [...out];
}

export interface ResultPage {
  offset: number;
  limit: number;
}

/** How many entries the result's paged list holds (0 when it has none). */
export function resultLength(e: EncodedResult): number {
  return e.ends.length;
}

/**
 * The result's JSON as chunks (no copy of the entries): whole, or only the entries of `page` with a
 * `page` field saying which (offset, limit, total) when the result has a paged list.
 */
export function resultChunks(e: EncodedResult, page?: ResultPage): Uint8Array[] {
  if (!e.list) return [e.head];
  const total = e.ends.length;
  const from = page ? Math.min(page.offset, total) : 0;
  const to = page ? Math.min(total, from + page.limit) : total;
  const start = from === 0 ? 0 : e.ends[from - 1] + 1;
  const end = to === 0 ? 0 : e.ends[to - 1];
  const slice = to > from ? e.items.subarray(start, end) : new Uint8Array(0);
  const tail = page ? `],"page":${JSON.stringify({ offset: page.offset, limit: page.limit, total })}}` : ']}';
  return [e.head, slice, Buffer.from(tail)];
}

// A list of strings as one UTF-8 buffer and the byte offset where each begins, optionally on shared memory.
// Handing 139k ids and labels to another thread as a string array made the receiving thread rebuild every
// string (structured clone); a packed list crosses as two buffers, and each thread decodes only what it
// reads (a worker decodes all of it, the request thread one page or one lookup).

export interface PackedStrings {
  readonly count: number;
  /** The strings' UTF-8 bytes, one after another. */
  readonly bytes: Uint8Array;
  /** count + 1 byte offsets: string i is bytes[offsets[i] .. offsets[i + 1]). */
  readonly offsets: Int32Array;
}

function alloc(bytes: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(Math.max(1, bytes)) : new ArrayBuffer(Math.max(1, bytes));
}

function view(p: PackedStrings): Buffer {
  return Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
}

/** Packs `list`; `shared` puts both buffers on SharedArrayBuffer (read by several threads, no copy). */
export function packStrings(list: readonly string[], shared = false): PackedStrings {
  let total = 0;
  for (const s of list) total += Buffer.byteLength(s, 'utf8');
  if (total > 0x7fff_ffff) throw new RangeError('packStrings: more than 2 GB of text');
  const bytes = new Uint8Array(alloc(total, shared), 0, total);
  const offsets = new Int32Array(alloc((list.length + 1) * 4, shared), 0, list.length + 1);
  const buf = Buffer.from(bytes.buffer, 0, total);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    offsets[i] = at;
    at += buf.write(list[i], at, 'utf8');
  }
  offsets[list.length] = at;
  return { count: list.length, bytes, offsets };
}

/** String `i`. */
export function stringAt(p: PackedStrings, i: number): string {
  if (!(i >= 0 && i < p.count)) throw new RangeError(`stringAt: ${i} is outside 0..${p.count - 1}`);
  return view(p).toString('utf8', p.offsets[i], p.offsets[i + 1]);
}

/** Every string, in order. */
export function unpackStrings(p: PackedStrings): string[] {
  const buf = view(p);
  const out = new Array<string>(p.count);
  for (let i = 0; i < p.count; i++) out[i] = buf.toString('utf8', p.offsets[i], p.offsets[i + 1]);
  return out;
}

/** The first string at or after offset `at` whose start is `at` exactly, by binary search; -1 if none. */
function startingAt(p: PackedStrings, at: number): number {
  let lo = 0;
  let hi = p.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p.offsets[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < p.count && p.offsets[lo] === at ? lo : -1;
}

/**
 * Index of the first string equal to `s`, or -1: a byte search over the buffer, without decoding it. An
 * empty `s` matches the first empty string.
 */
export function indexOfString(p: PackedStrings, s: string): number {
  const needle = Buffer.from(s, 'utf8');
  if (needle.length === 0) {
    for (let i = 0; i < p.count; i++) if (p.offsets[i] === p.offsets[i + 1]) return i;
    return -1;
  }
  const buf = view(p);
  for (let from = 0; ;) {
    const at = buf.indexOf(needle, from);
    if (at < 0) return -1;
    // A match counts only when it is one whole string, not part of one or across two.
    let i = startingAt(p, at);
    // Empty strings share their start with the next one: step past them.
    while (i >= 0 && i < p.count && p.offsets[i + 1] === at) i++;
    if (i >= 0 && i < p.count && p.offsets[i + 1] === at + needle.length) return i;
    from = at + 1;
  }
}

/** The buffers to list in postMessage's transfer list (when not shared). */
export function transferablesOf(p: PackedStrings): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const b of [p.bytes.buffer, p.offsets.buffer]) if (b instanceof ArrayBuffer) out.push(b);
  return out;
}

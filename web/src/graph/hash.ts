// A string hash as a number in [0, 1), with no dependency on the renderer, so layouts stay unit-testable.
/** A deterministic pseudo-random in [0, 1) from a string, so re-adding the same data places it the same way. */
export function hash01(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 100000) / 100000;
}

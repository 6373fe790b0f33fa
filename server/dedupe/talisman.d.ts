// talisman ships no types; the one function the resolver uses from it.
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, boost threshold 0.7). */
  export default function jaroWinkler(a: string, b: string): number;
}

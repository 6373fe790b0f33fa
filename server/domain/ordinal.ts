// English ordinals for ranks and percentiles: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 93rd, 112th.

/** `n` (rounded to a whole number) with its English ordinal suffix. */
export function ordinal(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const whole = Math.round(n);
  const abs = Math.abs(whole);
  // 11, 12 and 13 (and 111, 212, …) take "th" whatever their last digit says.
  const teen = abs % 100 >= 11 && abs % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][abs % 10] ?? 'th');
  return `${whole}${suffix}`;
}

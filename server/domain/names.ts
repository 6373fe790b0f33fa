// One account per name, however it is typed: `Analyst1`, `analyst1` and `ａｎａｌｙｓｔ１` (full-width) are one
// user. The store keeps each user's folded name beside the name as given, unique; sign-in, the login
// throttle and account creation all compare folded names. Shared with the web app (no I/O).

/**
 * A user name folded for comparison: trimmed, Unicode-normalised (NFKC, so compatibility forms such as
 * full-width letters become the plain ones) and case-folded. JavaScript has no case-fold function; upper
 * then lower case is the usual stand-in for Unicode full case folding (ß and ẞ become ss, final and medial
 * sigma both σ), and NFKC again afterwards closes it, as NFKC_Casefold does.
 */
export function foldName(name: string): string {
  return name.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

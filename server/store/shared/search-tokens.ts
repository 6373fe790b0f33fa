// Search text cut into the words both full-text indexes (SQLite FTS5 unicode61, Neo4j's Lucene) make of it.

/** At most 32 words, NFC; punctuation and operators are only separators. */
export function ftsTokens(query: string): string[] {
  return query
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 32);
}

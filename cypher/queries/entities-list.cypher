// A page of entities in id order, keyset style (shared/list-key.ts): read along the entity_n index from $after
// (exclusive; 0 for the start), so a deep page reads one page's worth, not every entity before it. $limit is
// one more than the page (whether another follows); $offset is bounded by the caller (MAX_LIST_OFFSET).
MATCH (e:Entity)
USING INDEX e:Entity(n)
WHERE e.n > $after AND ($type IS NULL OR e.type = $type) AND ($importId IS NULL OR $importId IN e.imports)
  AND ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
WITH e
ORDER BY e.n
SKIP $offset
LIMIT $limit
RETURN e {.*} AS e, e.n AS k

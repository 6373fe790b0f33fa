// A page of notes in id order, keyset style from $after (see entities-list): along annotation_target for
// one record's notes, along annotation_n for all.
MATCH (a:Annotation)
WHERE a.n > $after AND ($kind IS NULL OR (a.targetKind = $kind AND a.targetId = $target))
  AND ($ops IS NULL OR coalesce(a.op, 'op1') IN $ops)
WITH a
ORDER BY a.n
SKIP $offset
LIMIT $limit
RETURN a {.*} AS a, a.n AS k

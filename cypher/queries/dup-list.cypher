// One page of the queue, highest weight first, after the cursor ($afterW, $afterId); pairs one of whose
// records is gone (merged away, deleted) are left out while they wait; decided pairs are always listed. With
// $ops (a read scope), only pairs every operation of whose evidence (ops) is among those and both of whose records belong to one of those operations.
MATCH (p:DuplicateProposal)
WHERE ($state IS NULL OR p.state = $state)
  AND ($type IS NULL OR p.type = $type)
  AND ($minWeight IS NULL OR p.weight >= $minWeight)
  AND ($afterW IS NULL OR p.weight < $afterW OR (p.weight = $afterW AND p.id > $afterId))
  AND (p.state IN ['accepted', 'rejected']
    OR (EXISTS { MATCH (:Entity {id: p.aId}) } AND EXISTS { MATCH (:Entity {id: p.bId}) }))
  AND ($ops IS NULL OR p.ops IS NOT NULL AND all(o IN p.ops WHERE o IN $ops) AND CASE WHEN p.state = 'accepted'
    THEN EXISTS { MATCH (e:Entity) WHERE e.id IN [p.aId, p.bId] AND any(o IN coalesce(e.ops, []) WHERE o IN $ops) }
    ELSE EXISTS { MATCH (a:Entity {id: p.aId}) WHERE any(o IN coalesce(a.ops, []) WHERE o IN $ops) }
      AND EXISTS { MATCH (b:Entity {id: p.bId}) WHERE any(o IN coalesce(b.ops, []) WHERE o IN $ops) } END)
RETURN p {.*} AS p
ORDER BY p.weight DESC, p.id
LIMIT $limit

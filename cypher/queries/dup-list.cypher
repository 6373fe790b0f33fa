// One page of the queue, highest weight first, after the cursor ($afterW, $afterId); pairs one of whose
// records is gone (merged away, deleted) are left out while they wait; decided pairs are always listed.
MATCH (p:DuplicateProposal)
WHERE ($state IS NULL OR p.state = $state)
  AND ($type IS NULL OR p.type = $type)
  AND ($minWeight IS NULL OR p.weight >= $minWeight)
  AND ($afterW IS NULL OR p.weight < $afterW OR (p.weight = $afterW AND p.id > $afterId))
  AND (p.state IN ['accepted', 'rejected']
    OR (EXISTS { MATCH (:Entity {id: p.aId}) } AND EXISTS { MATCH (:Entity {id: p.bId}) }))
RETURN p {.*} AS p
ORDER BY p.weight DESC, p.id
LIMIT $limit

MATCH (p:DuplicateProposal)
WHERE ($state IS NULL OR p.state = $state)
  AND ($type IS NULL OR p.type = $type)
  AND ($minWeight IS NULL OR p.weight >= $minWeight)
  AND (p.state IN ['accepted', 'rejected']
    OR (EXISTS { MATCH (:Entity {id: p.aId}) } AND EXISTS { MATCH (:Entity {id: p.bId}) }))
RETURN count(p) AS c

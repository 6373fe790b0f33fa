// One pair by id; with $ops (a read scope), only when every operation its evidence came from (ops) is among those and both its records belong to one of those operations (an
// accepted pair: the record kept).
MATCH (p:DuplicateProposal {id: $id})
WHERE true
  AND ($ops IS NULL OR p.ops IS NOT NULL AND all(o IN p.ops WHERE o IN $ops) AND CASE WHEN p.state = 'accepted'
    THEN EXISTS { MATCH (e:Entity) WHERE e.id IN [p.aId, p.bId] AND any(o IN coalesce(e.ops, []) WHERE o IN $ops) }
    ELSE EXISTS { MATCH (a:Entity {id: p.aId}) WHERE any(o IN coalesce(a.ops, []) WHERE o IN $ops) }
      AND EXISTS { MATCH (b:Entity {id: p.bId}) WHERE any(o IN coalesce(b.ops, []) WHERE o IN $ops) } END)
RETURN p {.*} AS p

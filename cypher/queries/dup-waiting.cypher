// Waiting (new) pairs, all or those touching the entities numbered in $scope; with $ops (the read scope of
// the run), only pairs all of whose evidence operations are among those and both of whose records belong to one of them: a run takes off the queue
// only pairs it could see.
MATCH (p:DuplicateProposal {state: 'new'})
WHERE ($scope IS NULL OR p.an IN $scope OR p.bn IN $scope)
  AND ($ops IS NULL
    OR (p.ops IS NOT NULL AND all(o IN p.ops WHERE o IN $ops)
      AND EXISTS { MATCH (a:Entity {id: p.aId}) WHERE any(o IN coalesce(a.ops, []) WHERE o IN $ops) }
      AND EXISTS { MATCH (b:Entity {id: p.bId}) WHERE any(o IN coalesce(b.ops, []) WHERE o IN $ops) }))
RETURN p.id AS id

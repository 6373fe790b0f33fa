// Entities of $ids that also belong to another operation than $op, with each such operation, where the two
// operations have no notice on the entity yet (in either direction): the subjects this write makes shared.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
UNWIND [o IN coalesce(e.ops, []) WHERE o <> $op] AS held
WITH e, held
WHERE NOT EXISTS {
  MATCH (n:DeconflictionNotice {entityId: e.id})
  WHERE (n.newOpId = $op AND n.heldOpId = held) OR (n.newOpId = held AND n.heldOpId = $op)
}
RETURN e.id AS entityId, held
ORDER BY e.n, held

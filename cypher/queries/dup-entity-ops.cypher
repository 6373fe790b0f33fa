// The operations each record of a run's pairs belongs to (the store keeps the scope's share of them).
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id, coalesce(e.ops, []) AS ops

// Index hints keep the plan an index seek even when it was first planned on an empty database.
// The ids of the entities linked to the listed ones (a merge or a removal changes their links: it locks them).
UNWIND $ids AS id
MATCH (e:Entity {id: id})
USING INDEX e:Entity(id)
MATCH (e)--(n:Entity)
RETURN collect(DISTINCT n.id) AS ids

// A walk's start in one round trip: the data version and the seeds the scope sees, whole (they are part of the
// result). Index hints keep the plan an index seek even when it was first planned on an empty database.
OPTIONAL MATCH (m:Meta {k: 'state'})
WITH coalesce(m.dataVersion, 0) AS v
UNWIND $ids AS id
OPTIONAL MATCH (e:Entity {id: id})
USING INDEX e:Entity(id)
WHERE ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
RETURN v, e {.*} AS e

// A walk's start in one round trip: the data version, how many operations the scope leaves out (none: the walk
// reads every fact, and its queries need not test the scope), and the seeds the scope sees, whole (they are
// part of the result). Index hints keep the plan an index seek even when it was first planned on an empty
// database.
OPTIONAL MATCH (m:Meta {k: 'state'})
WITH coalesce(m.dataVersion, 0) AS v,
  CASE WHEN $ops IS NULL THEN 0 ELSE COUNT { MATCH (o:Operation) WHERE NOT o.id IN $ops } END AS outside
UNWIND $ids AS id
OPTIONAL MATCH (e:Entity {id: id})
USING INDEX e:Entity(id)
WHERE ($ops IS NULL OR any(o IN e.ops WHERE o IN $ops))
RETURN v, outside, e {.*} AS e

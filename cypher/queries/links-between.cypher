// Index hints keep the plan an index seek even when it was first planned on an empty database.
// Existing links by their natural key (from, type, to).
UNWIND $pairs AS p
MATCH (a:Entity {id: p.from})-[l]->(b:Entity {id: p.to})
USING INDEX a:Entity(id)
WHERE type(l) = p.type
RETURN l {.*, type: type(l), from: a.id, to: b.id} AS l

// Index hints keep the plan an index seek even when it was first planned on an empty database.
UNWIND $rows AS row
MATCH (a:Entity {id: row.from})-[l]->(:Entity {id: row.to})
USING INDEX a:Entity(id)
WHERE l.id = row.id
SET l += row.props

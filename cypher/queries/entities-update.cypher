// Index hints keep the plan an index seek even when it was first planned on an empty database.
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
USING INDEX e:Entity(id)
SET e += row

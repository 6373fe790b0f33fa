// Index hints keep the plan an index seek even when it was first planned on an empty database.
// The fields a write batch changed on stored entities it met again ($rows: [{id, set}]), and only those.
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
USING INDEX e:Entity(id)
SET e += row.set

// Index hints keep the plan an index seek even when it was first planned on an empty database.
// Write-locks the listed entities (ids in a fixed order, so two writers cannot take them crosswise) and
// returns them as they are now that no other writer can change them; a missing id is simply not returned.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
USING INDEX e:Entity(id)
SET e._lock = true
REMOVE e._lock
RETURN e {.*} AS e

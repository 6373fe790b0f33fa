// Index hints keep the plan an index seek even when it was first planned on an empty database.
// Grading codes of the reports that exist among $ids.
UNWIND $ids AS id
MATCH (r:Report {id: id})
USING INDEX r:Report(id)
WHERE $ops IS NULL OR r.op IN $ops
RETURN r.id AS id, r.grade AS grade

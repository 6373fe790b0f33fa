// Grading codes of the reports that exist among $ids.
UNWIND $ids AS id
MATCH (r:Report {id: id})
RETURN r.id AS id, r.grade AS grade

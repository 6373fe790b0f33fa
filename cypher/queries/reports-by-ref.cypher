// Index hints keep the plan an index seek even when it was first planned on an empty database.
UNWIND $refs AS ref
MATCH (r:Report {ref: ref})
USING INDEX r:Report(ref)
RETURN r {.*} AS r

UNWIND $refs AS ref
MATCH (r:Report {ref: ref})
RETURN r {.*} AS r

OPTIONAL MATCH (a:Report {id: $id})
OPTIONAL MATCH (b:Report {ref: $ref})
WITH coalesce(a, b) AS r
WHERE r IS NOT NULL
RETURN r {.*} AS r

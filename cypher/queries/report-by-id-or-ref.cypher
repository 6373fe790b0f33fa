OPTIONAL MATCH (a:Report {id: $id})
OPTIONAL MATCH (b:Report {ref: $ref})
WITH coalesce(a, b) AS r
WHERE r IS NOT NULL AND ($ops IS NULL OR r.op IN $ops)
RETURN r {.*} AS r

MATCH (r:Report)
WHERE ($due IS NULL OR (r.reviewDate IS NOT NULL AND r.reviewDate < $due)) AND ($ops IS NULL OR r.op IN $ops)
RETURN count(r) AS c

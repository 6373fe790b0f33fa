MATCH (r:Report)
WHERE $due IS NULL OR (r.reviewDate IS NOT NULL AND r.reviewDate < $due)
RETURN count(r) AS c

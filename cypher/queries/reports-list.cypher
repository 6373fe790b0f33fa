MATCH (r:Report)
WHERE $due IS NULL OR (r.reviewDate IS NOT NULL AND r.reviewDate < $due)
WITH r
ORDER BY r.n
SKIP $offset
LIMIT $limit
RETURN r {.*} AS r

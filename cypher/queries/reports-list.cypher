// A page of reports in id order, keyset style: read along the report_n index from $after (see entities-list).
MATCH (r:Report)
USING INDEX r:Report(n)
WHERE r.n > $after AND ($due IS NULL OR (r.reviewDate IS NOT NULL AND r.reviewDate < $due))
  AND ($ops IS NULL OR r.op IN $ops)
WITH r
ORDER BY r.n
SKIP $offset
LIMIT $limit
RETURN r {.*} AS r, r.n AS k

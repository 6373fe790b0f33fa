// A page of the reports due for review before $due (retention), read along the report_review index: only the
// reports due are read and sorted, not every report; $after (exclusive; 0 for the start) is the key of the
// page before, so the queue is walked by key.
MATCH (r:Report)
USING INDEX r:Report(reviewDate)
WHERE r.reviewDate < $due AND r.n > $after AND ($ops IS NULL OR r.op IN $ops)
WITH r
ORDER BY r.n
SKIP $offset
LIMIT $limit
RETURN r {.*} AS r, r.n AS k

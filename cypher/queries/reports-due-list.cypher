// A page of the reports due for review before $due (retention), read along the report_review index: only the
// reports due are read and sorted, not every report.
MATCH (r:Report)
USING INDEX r:Report(reviewDate)
WHERE r.reviewDate < $due AND ($ops IS NULL OR r.op IN $ops)
WITH r
ORDER BY r.n
SKIP $offset
LIMIT $limit
RETURN r {.*} AS r

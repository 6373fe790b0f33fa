// How many reports are due for review before $due, counted along the report_review index (reports-due-list).
MATCH (r:Report)
USING INDEX r:Report(reviewDate)
WHERE r.reviewDate < $due AND ($ops IS NULL OR r.op IN $ops)
RETURN count(r) AS c

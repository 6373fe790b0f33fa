MATCH (d:DeconflictionNotice)
WHERE d.audited = false
RETURN d {.*} AS d
ORDER BY d.n
LIMIT $limit

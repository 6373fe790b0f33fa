// Everything of one kind, for npm run transfer.
MATCH (m:OperationMember)
WITH m
ORDER BY m.opId, m.user
RETURN m {.*} AS x

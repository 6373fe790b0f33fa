// Everything of one kind, for npm run transfer: each pair's log in its order.
MATCH (d:DuplicateDecision)
WITH d
ORDER BY d.proposalId, d.seq
RETURN d {.*} AS x

// Everything of one kind, for npm run transfer: in the order they were taken, each pair's log in its order.
MATCH (d:DuplicateDecision)
WITH d
ORDER BY d.at, d.proposalId, d.seq
RETURN d {.*} AS x

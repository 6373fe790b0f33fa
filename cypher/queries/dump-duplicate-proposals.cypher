// Everything of one kind, for npm run transfer.
MATCH (p:DuplicateProposal)
WITH p
ORDER BY p.id
RETURN p {.*} AS x

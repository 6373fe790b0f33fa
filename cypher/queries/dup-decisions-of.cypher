MATCH (d:DuplicateDecision {proposalId: $id})
RETURN d {.*} AS d
ORDER BY d.seq

MATCH (p:DuplicateProposal {id: $id})
RETURN p {.*} AS p

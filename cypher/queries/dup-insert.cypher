// New pairs of a resolver run, waiting for a decision.
UNWIND $rows AS r
CREATE (p:DuplicateProposal)
SET p = r, p.state = 'new', p.createdAt = $now, p.updatedAt = $now

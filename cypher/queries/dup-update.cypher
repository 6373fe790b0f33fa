// Waiting pairs brought up to date by a resolver run; with $reopen, rejected pairs whose evidence changed go
// back to waiting.
UNWIND $rows AS r
MATCH (p:DuplicateProposal {id: r.id})
SET p.weight = r.weight, p.probability = r.probability, p.evidence = r.evidence,
  p.fingerprint = r.fingerprint, p.ops = r.ops, p.updatedAt = $now
FOREACH (_ IN CASE WHEN $reopen THEN [1] ELSE [] END |
  SET p.state = 'new', p.decidedBy = null, p.decidedAt = null)

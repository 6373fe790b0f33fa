// A decision on one pair: its state and who decided when (null values clear a field).
MATCH (p:DuplicateProposal {id: $id})
SET p.state = $state, p.decidedBy = $decidedBy, p.decidedAt = $decidedAt, p.mergeId = $mergeId,
  p.keptId = $keptId, p.updatedAt = $now

// Appends to a pair's decision log (append-only: no query updates or deletes a DuplicateDecision).
OPTIONAL MATCH (d:DuplicateDecision {proposalId: $id})
WITH count(d) AS n
CREATE (:DuplicateDecision {proposalId: $id, seq: n, action: $action, actor: $actor, at: $at,
  fingerprint: $fingerprint, mergeId: $mergeId})

// A new notice (number from its counter; MERGE on the unique Seq name locks it) and its first step.
MERGE (s:Seq {name: 'deconfliction'})
ON CREATE SET s.v = 0
SET s.v = s.v + 1
WITH s.v AS n
CREATE (d:DeconflictionNotice {id: 'dn' + toString(n), n: n, entityId: $entityId, newOpId: $op, heldOpId: $held,
  state: 'new', disclose: false, createdAt: $at, updatedAt: $at, audited: false, steps: 1})
CREATE (:DeconflictionEvent {noticeId: d.id, i: 0, actor: $actor, at: $at, action: 'created', note: null})
RETURN d {.*} AS d

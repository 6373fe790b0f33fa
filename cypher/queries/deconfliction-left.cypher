// Operation $op has left entity $entityId while others keep it: its notices on the subject that are not yet
// resolved are resolved, each with a `left` step numbered after its last.
MATCH (d:DeconflictionNotice {entityId: $entityId})
WHERE (d.newOpId = $op OR d.heldOpId = $op) AND d.state <> 'resolved'
WITH d, d.steps AS i
SET d.state = 'resolved', d.updatedAt = $at, d.steps = i + 1
CREATE (:DeconflictionEvent {noticeId: d.id, i: i, actor: $actor, at: $at, action: 'left',
  note: $op + ' no longer holds the subject'})
RETURN count(d) AS n

// Notices the store resolved when $op left a subject (their last step is `left`) on entities of $ids that $op
// and the other side both hold again: new again, with a `rejoined` step, and due for the audit again. The
// notice is matched first: on most writes no entity of the batch has one, and that is one index seek each.
UNWIND $ids AS id
MATCH (d:DeconflictionNotice {entityId: id})
WHERE d.state = 'resolved' AND (d.newOpId = $op OR d.heldOpId = $op)
MATCH (e:Entity {id: id})
WHERE $op IN coalesce(e.ops, []) AND (CASE WHEN d.newOpId = $op THEN d.heldOpId ELSE d.newOpId END) IN e.ops
MATCH (last:DeconflictionEvent {noticeId: d.id, i: d.steps - 1})
WHERE last.action = 'left'
WITH d, d.steps AS i
SET d.state = 'new', d.updatedAt = $at, d.audited = false, d.steps = i + 1
CREATE (:DeconflictionEvent {noticeId: d.id, i: i, actor: $actor, at: $at, action: 'rejoined',
  note: $op + ' holds the subject again'})
RETURN count(d) AS n

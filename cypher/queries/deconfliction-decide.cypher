// One step on a notice: its new state and disclosure, and the step(s) it logs, numbered after the last.
MATCH (d:DeconflictionNotice {id: $id})
SET d.state = $state, d.disclose = $disclose, d.updatedAt = $at
WITH d, d.steps AS first
SET d.steps = first + size($steps)
WITH d, first
UNWIND range(0, size($steps) - 1) AS k
CREATE (:DeconflictionEvent {noticeId: d.id, i: first + k, actor: $actor, at: $at, action: $steps[k].action,
  note: $steps[k].note})
RETURN count(*) AS n

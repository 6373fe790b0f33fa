// Operations migration, step 1 (idempotent): the open GENERAL operation, op1, where everything written before
// operations existed belongs, and the Meta counter that numbers the next operations after it.
MERGE (o:Operation {ref: 'GENERAL'})
ON CREATE SET o.id = 'op1', o.n = 1, o.name = 'General', o.owner = 'system', o.sensitivity = 'open',
  o.state = 'active', o.createdAt = $now, o.updatedAt = $now
WITH o
MATCH (m:Meta {k: 'state'})
SET m.operation = CASE WHEN coalesce(m.operation, 0) < o.n THEN o.n ELSE m.operation END
RETURN o.id AS id

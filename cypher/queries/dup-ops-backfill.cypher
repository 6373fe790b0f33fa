// Pairs stored before they recorded their operations: every operation either record belongs to (a record
// merged away or deleted adds none). Runs at start-up; touches only pairs without ops.
MATCH (p:DuplicateProposal)
WHERE p.ops IS NULL
OPTIONAL MATCH (a:Entity {id: p.aId})
OPTIONAL MATCH (b:Entity {id: p.bId})
WITH p, coalesce(a.ops, []) + coalesce(b.ops, []) AS held
UNWIND (CASE WHEN size(held) = 0 THEN [null] ELSE held END) AS o
WITH p, collect(DISTINCT o) AS ops
SET p.ops = ops

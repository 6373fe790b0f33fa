// After a write has committed, in a short transaction of its own (see context.ts for why after, not within).
MATCH (m:Meta {k: 'state'})
SET m.dataVersion = coalesce(m.dataVersion, 0) + $by
RETURN m.dataVersion AS v

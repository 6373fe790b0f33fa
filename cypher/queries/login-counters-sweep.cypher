// Counters with nothing pending or locked whose window has run out.
MATCH (c:LoginCounter)
WHERE c.windowStart < $before AND c.lockedUntil <= $now AND (c.pending = 0 OR c.pendingUntil <= $now)
WITH c LIMIT 10000
DELETE c
RETURN count(*) AS n

// The throttle's counters as decided; keys left empty (only looked at) are removed again.
UNWIND $rows AS r
MATCH (c:LoginCounter {key: r.key})
FOREACH (_ IN CASE WHEN r.c IS NULL THEN [] ELSE [1] END | SET c += r.c)
WITH c, r
WHERE r.c IS NULL AND c.count IS NULL
DELETE c

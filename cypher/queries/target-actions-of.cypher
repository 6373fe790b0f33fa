// The action logs of some targets, oldest first.
MATCH (a:TargetAction)
WHERE a.targetId IN $ids
RETURN a {.*} AS a
ORDER BY a.date, a.n

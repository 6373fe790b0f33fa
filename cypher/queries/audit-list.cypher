MATCH (a:Audit)
WHERE ($actor IS NULL OR a.actor = $actor) AND ($action IS NULL OR a.action = $action)
  AND ($objectId IS NULL OR $objectId IN a.objectIds) AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at <= $until)
WITH a
ORDER BY a.seq
SKIP $offset
LIMIT $limit
RETURN a {.*} AS a

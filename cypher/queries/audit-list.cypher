// A page of the audit oldest first, read along the audit_seq index (schema.cypher) from its key ($after < seq <
// $before) and stopped once the page is full, instead of reading and sorting every record (the audit grows with
// every request). Filters are checked on the records as they come. audit-list-desc reads the same backwards.
MATCH (a:Audit)
USING INDEX a:Audit(seq)
WHERE a.seq > $after AND a.seq < $before
  AND ($actor IS NULL OR a.actor = $actor) AND ($action IS NULL OR a.action = $action)
  AND ($since IS NULL OR a.at >= $since) AND ($until IS NULL OR a.at <= $until)
  AND ($ops IS NULL OR a.operations IS NULL OR size(a.operations) = 0
    OR (any(op IN a.operations WHERE op IN $ops) AND all(op IN a.operations WHERE op IN $within)))
WITH a
ORDER BY a.seq
SKIP $offset
LIMIT $limit
RETURN a {.*} AS a

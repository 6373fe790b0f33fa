// How many audit records a list holds: the whole audit from Neo4j's count store (one lookup, however long
// the audit has grown); a filtered list (an actor, an action, a time span, a supervisor's operations) is
// counted over the records.
CALL {
  WITH 1 AS one
  WITH one WHERE $actor IS NULL AND $action IS NULL AND $objectId IS NULL AND $since IS NULL
    AND $until IS NULL AND $ops IS NULL
  RETURN COUNT { (:Audit) } AS c
  UNION ALL
  WITH 1 AS one
  WITH one WHERE NOT ($actor IS NULL AND $action IS NULL AND $objectId IS NULL AND $since IS NULL
    AND $until IS NULL AND $ops IS NULL)
  MATCH (a:Audit)
  WHERE ($actor IS NULL OR a.actor = $actor) AND ($action IS NULL OR a.action = $action)
    AND ($objectId IS NULL OR $objectId IN a.objectIds) AND ($since IS NULL OR a.at >= $since)
    AND ($until IS NULL OR a.at <= $until)
    AND ($ops IS NULL OR a.operations IS NULL OR size(a.operations) = 0
      OR (any(op IN a.operations WHERE op IN $ops) AND all(op IN a.operations WHERE op IN $within)))
  RETURN count(a) AS c
}
RETURN sum(c) AS c

// Drops expired sessions: idle too long or past their lifetime (both indexed, so only those are read).
CALL {
  MATCH (s:Session) WHERE s.lastSeen < $idleBefore RETURN s
  UNION
  MATCH (s:Session) WHERE s.createdAt < $createdBefore RETURN s
}
WITH s LIMIT 10000
DELETE s
RETURN count(*) AS n

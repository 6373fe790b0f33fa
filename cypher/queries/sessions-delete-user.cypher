// Ends every session of one user (disabled, demoted, password changed or reset).
MATCH (s:Session {userId: $userId})
DELETE s
RETURN count(*) AS n

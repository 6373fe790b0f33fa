// A session's last request, never moved back.
MATCH (s:Session {tokenHash: $tokenHash})
SET s.lastSeen = CASE WHEN s.lastSeen > $lastSeen THEN s.lastSeen ELSE $lastSeen END

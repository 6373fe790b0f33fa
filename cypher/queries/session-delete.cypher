// Ends one session.
MATCH (s:Session {tokenHash: $tokenHash})
DELETE s

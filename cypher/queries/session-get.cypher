// One session by its token's SHA-256.
MATCH (s:Session {tokenHash: $tokenHash})
RETURN s {.*} AS s

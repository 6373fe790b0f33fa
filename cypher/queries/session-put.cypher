// A new session (by its token's SHA-256), or the same one written again.
MERGE (s:Session {tokenHash: $tokenHash})
SET s += $props

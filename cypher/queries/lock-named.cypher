// Takes the write lock of one named lock node, held to the end of the caller's transaction: writes of one
// kind that must not interleave (editing, user names) queue here, and nothing else does.
MERGE (l:Meta {k: $k})
SET l.lockedAt = timestamp()

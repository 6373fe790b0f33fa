// A short transaction of its own: reserves $count numbers of one kind of id ($kind: a Counter, checked by the
// caller) and returns the last of them. Only this statement holds the Meta node's lock, for one update.
MATCH (m:Meta {k: 'state'})
SET m[$kind] = coalesce(m[$kind], 0) + $count
RETURN m[$kind] AS top

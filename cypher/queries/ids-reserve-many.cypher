// A short transaction of its own: reserves numbers of several kinds at once ($kinds: [{kind, count}], each kind
// a Counter checked by the caller), one write batch's whole need, and returns the last number of each and the
// data version as it stands. Only this statement holds the Meta node's lock, for one update.
MATCH (m:Meta {k: 'state'})
UNWIND $kinds AS k
SET m[k.kind] = coalesce(m[k.kind], 0) + k.count
RETURN k.kind AS kind, m[k.kind] AS top, coalesce(m.dataVersion, 0) AS dataVersion

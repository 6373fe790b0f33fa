// Calls and reads of an import. `key` is the event's identity (link, time, kind, duration, place, report): a call
// written again is found, not doubled. Returns how many were new.
UNWIND $rows AS r
MERGE (v:LinkEvent {key: r.key})
ON CREATE SET v.n = r.n, v.linkId = r.linkId, v.kind = r.kind, v.at = r.at, v.duration = r.duration,
  v.direction = r.direction, v.place = r.place, v.report = r.report, v.importId = r.importId,
  v.op = r.op
WITH v, r WHERE v.n = r.n
RETURN count(*) AS created

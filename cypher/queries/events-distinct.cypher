// The distinct events of the listed links in the window (the same call in two reports once), for their counts.
MATCH (v:LinkEvent)
WHERE v.linkId IN $ids AND v.at >= $fromMs AND v.at <= $toMs AND ($ops IS NULL OR v.op IN $ops)
RETURN DISTINCT v.linkId AS link, v.at AS at, v.kind AS kind, v.duration AS duration, v.place AS place

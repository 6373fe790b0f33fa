// Everything of one kind, for npm run transfer: in the order they were taken, each notice's log in its order.
MATCH (v:DeconflictionEvent)
WITH v
ORDER BY v.at, v.noticeId, v.i
RETURN v {.*} AS x

// Everything of one kind, for npm run transfer: each notice's log in its own order.
MATCH (v:DeconflictionEvent)
WITH v
ORDER BY v.noticeId, v.i
RETURN v {.*} AS x

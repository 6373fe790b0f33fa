MATCH (v:DeconflictionEvent {noticeId: $id})
RETURN v {.*} AS v
ORDER BY v.i

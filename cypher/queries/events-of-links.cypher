// Which of the listed links still have an event.
UNWIND $ids AS id
MATCH (v:LinkEvent {linkId: id})
RETURN DISTINCT id

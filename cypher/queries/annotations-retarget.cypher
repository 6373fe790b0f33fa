UNWIND $ids AS id
MATCH (a:Annotation {id: id})
SET a.targetId = $to

CALL () {
  MATCH (al:Alias {mergeId: $merge})
  DELETE al
}
WITH count(*) AS done
UNWIND $aliases AS x
MATCH (al:Alias {type: x.type, key: x.key})
SET al.entityId = $drop

// End of a merge: aliases and annotations move to the kept entity, the merged one goes, its key
// becomes an alias of the kept one, and the merge is recorded with its snapshot.
MATCH (d:Entity {id: $drop})
CALL (d) {
  MATCH (al:Alias {entityId: d.id})
  SET al.entityId = $keep
}
CALL (d) {
  MATCH (an:Annotation {targetKind: 'entity', targetId: d.id})
  SET an.targetId = $keep
}
DETACH DELETE d
WITH count(*) AS done
CREATE (:Alias {type: $type, key: $key, entityId: $keep, mergeId: $merge.id})
CREATE (m:Merge)
SET m = $merge

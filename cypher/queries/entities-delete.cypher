// Entities with their links and the keys merged into them.
UNWIND $ids AS id
MATCH (e:Entity {id: id})
CALL (id) {
  MATCH (al:Alias {entityId: id})
  DELETE al
}
DETACH DELETE e

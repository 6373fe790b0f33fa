MATCH (r:Report {id: $id})
DELETE r

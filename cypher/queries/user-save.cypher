MERGE (u:User {id: $row.id})
SET u = $row

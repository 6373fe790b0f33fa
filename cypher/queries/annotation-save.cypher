MERGE (a:Annotation {id: $row.id})
SET a = $row

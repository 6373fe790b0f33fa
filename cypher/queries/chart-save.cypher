MERGE (c:Chart {id: $row.id})
SET c = $row

UNWIND $rows AS row
MATCH (:Entity {id: row.from})-[l]->(:Entity {id: row.to})
WHERE l.id = row.id
DELETE l

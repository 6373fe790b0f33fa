MATCH (:Entity {id: $from})-[l]->(:Entity {id: $to})
WHERE l.id = $id
DELETE l

UNWIND $ids AS id
MATCH (:Entity {id: id})-[l]-()
RETURN collect(DISTINCT l.id) AS ids

// Links of entity $id with the given ids.
MATCH (:Entity {id: $id})-[l]-()
WHERE l.id IN $ids
DELETE l

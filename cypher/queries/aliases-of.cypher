MATCH (al:Alias {entityId: $id})
RETURN al.type AS type, al.key AS key

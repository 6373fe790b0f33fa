UNWIND $ids AS id
MATCH (o:Operation {id: id})
RETURN o.id AS id

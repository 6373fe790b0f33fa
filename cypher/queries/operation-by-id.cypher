MATCH (o:Operation {id: $id})
RETURN o {.*} AS o

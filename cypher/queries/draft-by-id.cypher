MATCH (d:Draft {id: $id})
RETURN d {.*} AS d

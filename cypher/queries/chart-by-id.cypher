MATCH (c:Chart {id: $id})
RETURN c {.*} AS c

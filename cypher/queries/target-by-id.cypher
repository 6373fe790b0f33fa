MATCH (t:Target {id: $id})
RETURN t {.*} AS t

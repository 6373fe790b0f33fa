MATCH (a:Annotation {id: $id})
RETURN a {.*} AS a

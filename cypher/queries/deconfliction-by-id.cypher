MATCH (d:DeconflictionNotice {id: $id})
RETURN d {.*} AS d

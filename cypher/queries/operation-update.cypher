MATCH (o:Operation {id: $id})
SET o.name = $name, o.sensitivity = $sensitivity, o.state = $state, o.owner = $owner, o.updatedAt = $now
RETURN o {.*} AS o

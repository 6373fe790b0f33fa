MATCH (u:User {name: $name})
RETURN u {.*} AS u

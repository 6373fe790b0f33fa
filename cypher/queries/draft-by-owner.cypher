MATCH (d:Draft {owner: $owner})
RETURN d {.*} AS d

// Everything of one kind, for npm run transfer.
MATCH (al:Alias)
RETURN al {.*} AS x

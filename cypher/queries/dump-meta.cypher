// Everything of one kind, for npm run transfer.
MATCH (m:Meta {k: 'state'})
RETURN m {.*} AS x

// The resume marker of an interrupted npm run transfer into this database (JSON), if any.
MATCH (m:Meta {k: 'transfer'})
RETURN m.resume AS v

OPTIONAL MATCH (m:Meta {k: 'state'})
RETURN coalesce(m.dataVersion, 0) AS v

// A user's analysis jobs, newest first.
MATCH (j:Job {ownerId: $ownerId})
RETURN j {.*} AS j
ORDER BY j.n DESC
LIMIT $limit

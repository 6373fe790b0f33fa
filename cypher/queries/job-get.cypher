// One analysis job.
MATCH (j:Job {id: $id})
RETURN j {.*} AS j

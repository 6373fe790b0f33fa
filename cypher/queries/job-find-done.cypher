// A finished job of one computation whose result is kept.
MATCH (j:Job {key: $key, state: 'done'})
WHERE EXISTS { MATCH (:JobResult {key: $key}) }
RETURN j {.*} AS j
ORDER BY j.n DESC
LIMIT 1

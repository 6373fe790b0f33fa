// Live jobs whose server stopped renewing their lease.
MATCH (j:Job)
WHERE j.state IN ['queued', 'running'] AND j.leaseUntil < $now
RETURN j.id AS id, j.status AS status
LIMIT 1000

// A job whose server stopped, marked failed (unless it finished meanwhile).
MATCH (j:Job {id: $id})
WHERE j.state IN ['queued', 'running']
SET j.state = 'failed', j.status = $status

// Asks the server running a live job to cancel it.
MATCH (j:Job {id: $id})
WHERE j.state IN ['queued', 'running']
SET j.cancelRequested = true
RETURN j.id AS id

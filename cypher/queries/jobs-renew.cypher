// Moves on the lease of one server's live jobs; answers those asked to be cancelled.
UNWIND $ids AS id
MATCH (j:Job {id: id})
WHERE j.server = $server AND j.state IN ['queued', 'running']
SET j.leaseUntil = $leaseUntil
RETURN j.id AS id, j.cancelRequested AS cancel

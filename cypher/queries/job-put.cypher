// An analysis job's record, created or refreshed (a cancel request already made stays).
MERGE (j:Job {id: $id})
ON CREATE SET j.cancelRequested = false, j.n = $n, j.ownerId = $ownerId, j.ownerName = $ownerName,
  j.key = $key, j.operations = $operations
SET j.server = $server, j.leaseUntil = $leaseUntil, j.state = $state, j.status = $status, j.notes = $notes

// How many analysis jobs one owner holds queued or running on any server, their lease not run out.
MATCH (j:Job {ownerId: $ownerId})
WHERE j.state IN ['queued', 'running'] AND j.leaseUntil >= $now
RETURN count(j) AS held

// Keeps each user's newest finished jobs and the newest in all; drops results no kept job uses.
MATCH (j:Job)
WHERE NOT j.state IN ['queued', 'running']
WITH j ORDER BY j.n DESC
WITH collect(j) AS finished
UNWIND range(0, size(finished) - 1) AS i
WITH finished[i] AS j, i
ORDER BY i
WITH j.ownerId AS owner, collect({j: j, i: i}) AS mine
UNWIND range(0, size(mine) - 1) AS r
WITH mine[r] AS e, r
WHERE r >= $perUser OR e.i >= $total
WITH e.j AS j
DETACH DELETE j
WITH count(*) AS dropped
MATCH (res:JobResult)
WHERE NOT EXISTS { MATCH (k:Job) WHERE k.key = res.key }
DELETE res

// Removes one analysis job's record (a claim its request did not need).
MATCH (j:Job {id: $id})
DELETE j

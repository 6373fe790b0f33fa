// A finished computation's result (its answer's JSON, base64).
MERGE (r:JobResult {key: $key})
SET r.bytes = $bytes

// A finished computation's result.
MATCH (r:JobResult {key: $key})
RETURN r.bytes AS bytes

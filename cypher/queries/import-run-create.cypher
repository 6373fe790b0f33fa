// One run of an import, created in the import's own write transaction. That transaction holds the Meta
// lock, so reading the last seq and creating the next cannot race another writer. `op` is the operation the
// import wrote into.
OPTIONAL MATCH (last:ImportRun)
WITH last
ORDER BY last.seq DESC
LIMIT 1
CREATE (r:ImportRun {seq: coalesce(last.seq, 0) + 1, importId: $importId, at: $at, actor: $actor, op: $op,
  report: $report})

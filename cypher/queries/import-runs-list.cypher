// Import runs, newest first, keyset style down the import_run_seq constraint's index from $after (exclusive;
// above every number for the start); $importId (or null) keeps the runs of one import; $ops (a read scope, or null:
// all) the runs into those operations (a run from before operations has no op: GENERAL's, op1).
MATCH (r:ImportRun)
WHERE r.seq < $after AND ($importId IS NULL OR r.importId = $importId)
  AND ($ops IS NULL OR coalesce(r.op, 'op1') IN $ops)
WITH r
ORDER BY r.seq DESC
SKIP $offset
LIMIT $limit
RETURN r {.*} AS r, r.seq AS k

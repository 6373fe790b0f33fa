// Import runs, newest first; $importId (or null) keeps the runs of one import.
MATCH (r:ImportRun)
WHERE $importId IS NULL OR r.importId = $importId
WITH r
ORDER BY r.seq DESC
SKIP $offset
LIMIT $limit
RETURN r {.*} AS r

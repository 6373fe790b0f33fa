MATCH (r:ImportRun)
WHERE $importId IS NULL OR r.importId = $importId
RETURN count(r) AS c

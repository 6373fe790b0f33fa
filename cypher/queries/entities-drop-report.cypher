MATCH (e:Entity)
WHERE $id IN e.reports
SET e.reports = [x IN e.reports WHERE x <> $id]

// Takes the Meta node's write lock (npm run transfer, before it writes the counters after a load; no app write does).
MERGE (m:Meta {k: 'state'})
ON CREATE SET m.dataVersion = 0, m.entity = 0, m.link = 0, m.report = 0, m.merge = 0, m.annotation = 0,
  m.chart = 0, m.user = 0, m.audit = 0, m.auditHash = '0000000000000000000000000000000000000000000000000000000000000000'
SET m.lockedAt = timestamp()
RETURN m {.*} AS m

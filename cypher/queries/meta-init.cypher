// The Meta node: data version, id counters, the audit chain's last hash, and the epoch of the data ($epoch, a
// random id; a store made before epochs gets one the first time a server starts on it).
MERGE (m:Meta {k: 'state'})
ON CREATE SET m.dataVersion = 0, m.entity = 0, m.link = 0, m.report = 0, m.merge = 0, m.annotation = 0,
  m.chart = 0, m.user = 0, m.audit = 0, m.auditHash = '0000000000000000000000000000000000000000000000000000000000000000'
SET m.epoch = coalesce(m.epoch, $epoch)

// One run of an import (`op`: the operation it wrote into), created in the import's own write transaction,
// numbered from its own counter,
// (:Seq {name: 'importRun'}): runs of imports writing at once queue only on this node, only from here to their
// commit. The counter starts after the last run recorded before it existed (the seq constraint's index).
CALL {
  OPTIONAL MATCH (last:ImportRun)
  WITH last
  ORDER BY last.seq DESC
  LIMIT 1
  RETURN coalesce(last.seq, 0) AS top
}
MERGE (s:Seq {name: 'importRun'})
ON CREATE SET s.v = top
SET s.v = s.v + 1
CREATE (r:ImportRun {seq: s.v, importId: $importId, at: $at, actor: $actor, op: $op, report: $report})

// How many records of each kind npm run transfer will copy, from the count store (no record is read); links
// are every relationship but a target's HAS_ACTION; `ownOperations` the operations other than a new store's GENERAL.
RETURN {
  reports: COUNT { (:Report) },
  entities: COUNT { (:Entity) },
  aliases: COUNT { (:Alias) },
  merges: COUNT { (:Merge) },
  annotations: COUNT { (:Annotation) },
  charts: COUNT { (:Chart) },
  users: COUNT { (:User) },
  audit: COUNT { (:Audit) },
  importRuns: COUNT { (:ImportRun) },
  targets: COUNT { (:Target) },
  targetActions: COUNT { (:TargetAction) },
  drafts: COUNT { (:Draft) },
  events: COUNT { (:LinkEvent) },
  duplicateProposals: COUNT { (:DuplicateProposal) },
  duplicateDecisions: COUNT { (:DuplicateDecision) },
  operations: COUNT { (:Operation) },
  operationMembers: COUNT { (:OperationMember) },
  deconflictionNotices: COUNT { (:DeconflictionNotice) },
  deconflictionEvents: COUNT { (:DeconflictionEvent) },
  links: COUNT { ()-[]->() } - COUNT { ()-[:HAS_ACTION]->() },
  ownOperations: COUNT { (o:Operation) WHERE o.ref <> 'GENERAL' }
} AS x

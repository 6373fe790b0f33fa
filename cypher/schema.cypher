// Linkchart schema for Neo4j 5. Applied statement by statement (split on ';' at line end) by the store's init();
// every statement is IF NOT EXISTS, so applying it again changes nothing.
//
// Model: (:Entity:<EntityType> {id, n, type, key, label, props (JSON), search, reports [report ids], imports, ...})
// joined by one relationship per link, typed by the link type; (:Report), (:Alias) for merged-away keys, (:Merge),
// (:Annotation), (:Chart), (:Draft), (:User), (:Audit), (:ImportRun), and (:Seq) counters for the ids.

CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT entity_natural_key IF NOT EXISTS FOR (e:Entity) REQUIRE (e.type, e.key) IS UNIQUE;
CREATE CONSTRAINT alias_natural_key IF NOT EXISTS FOR (a:Alias) REQUIRE (a.type, a.key) IS UNIQUE;
CREATE CONSTRAINT report_id IF NOT EXISTS FOR (r:Report) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT report_ref IF NOT EXISTS FOR (r:Report) REQUIRE r.ref IS UNIQUE;
CREATE CONSTRAINT merge_id IF NOT EXISTS FOR (m:Merge) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT annotation_id IF NOT EXISTS FOR (a:Annotation) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT chart_id IF NOT EXISTS FOR (c:Chart) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT draft_id IF NOT EXISTS FOR (d:Draft) REQUIRE d.id IS UNIQUE;
// One draft per user and operation (drafts from before operations have no op: GENERAL's, read as op1).
DROP CONSTRAINT draft_owner IF EXISTS;
CREATE CONSTRAINT draft_owner_op IF NOT EXISTS FOR (d:Draft) REQUIRE (d.owner, d.op) IS UNIQUE;
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT user_name IF NOT EXISTS FOR (u:User) REQUIRE u.name IS UNIQUE;
// The folded name (NFKC + case fold, server/domain/names.ts): `Analyst1` cannot exist beside `analyst1`. Users
// from before it have no nameKey until the store gives them one; of names that fold alike, the first keeps it.
CREATE CONSTRAINT user_name_key IF NOT EXISTS FOR (u:User) REQUIRE u.nameKey IS UNIQUE;
CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (a:Audit) REQUIRE a.seq IS UNIQUE;
CREATE CONSTRAINT import_run_seq IF NOT EXISTS FOR (r:ImportRun) REQUIRE r.seq IS UNIQUE;
CREATE INDEX import_run_import IF NOT EXISTS FOR (r:ImportRun) ON (r.importId);
CREATE CONSTRAINT seq_name IF NOT EXISTS FOR (s:Seq) REQUIRE s.name IS UNIQUE;
CREATE CONSTRAINT meta_k IF NOT EXISTS FOR (m:Meta) REQUIRE m.k IS UNIQUE;
CREATE CONSTRAINT link_id_associate_of IF NOT EXISTS FOR ()-[l:ASSOCIATE_OF]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_relative_of IF NOT EXISTS FOR ()-[l:RELATIVE_OF]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_member_of IF NOT EXISTS FOR ()-[l:MEMBER_OF]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_uses IF NOT EXISTS FOR ()-[l:USES]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_owns IF NOT EXISTS FOR ()-[l:OWNS]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_resides_at IF NOT EXISTS FOR ()-[l:RESIDES_AT]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_frequents IF NOT EXISTS FOR ()-[l:FREQUENTS]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_called IF NOT EXISTS FOR ()-[l:CALLED]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_sighted_at IF NOT EXISTS FOR ()-[l:SIGHTED_AT]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_involved_in IF NOT EXISTS FOR ()-[l:INVOLVED_IN]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_occurred_at IF NOT EXISTS FOR ()-[l:OCCURRED_AT]-() REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT link_id_transferred IF NOT EXISTS FOR ()-[l:TRANSFERRED]-() REQUIRE l.id IS UNIQUE;
// Link numbers by type, for links listed in id order a page at a time (cypher/queries/links-page.cypher).
CREATE INDEX link_n_associate_of IF NOT EXISTS FOR ()-[l:ASSOCIATE_OF]-() ON (l.n);
CREATE INDEX link_n_relative_of IF NOT EXISTS FOR ()-[l:RELATIVE_OF]-() ON (l.n);
CREATE INDEX link_n_member_of IF NOT EXISTS FOR ()-[l:MEMBER_OF]-() ON (l.n);
CREATE INDEX link_n_uses IF NOT EXISTS FOR ()-[l:USES]-() ON (l.n);
CREATE INDEX link_n_owns IF NOT EXISTS FOR ()-[l:OWNS]-() ON (l.n);
CREATE INDEX link_n_resides_at IF NOT EXISTS FOR ()-[l:RESIDES_AT]-() ON (l.n);
CREATE INDEX link_n_frequents IF NOT EXISTS FOR ()-[l:FREQUENTS]-() ON (l.n);
CREATE INDEX link_n_called IF NOT EXISTS FOR ()-[l:CALLED]-() ON (l.n);
CREATE INDEX link_n_sighted_at IF NOT EXISTS FOR ()-[l:SIGHTED_AT]-() ON (l.n);
CREATE INDEX link_n_involved_in IF NOT EXISTS FOR ()-[l:INVOLVED_IN]-() ON (l.n);
CREATE INDEX link_n_occurred_at IF NOT EXISTS FOR ()-[l:OCCURRED_AT]-() ON (l.n);
CREATE INDEX link_n_transferred IF NOT EXISTS FOR ()-[l:TRANSFERRED]-() ON (l.n);
CREATE INDEX entity_n IF NOT EXISTS FOR (e:Entity) ON (e.n);
CREATE INDEX entity_type IF NOT EXISTS FOR (e:Entity) ON (e.type);
CREATE INDEX alias_entity IF NOT EXISTS FOR (a:Alias) ON (a.entityId);
CREATE INDEX report_n IF NOT EXISTS FOR (r:Report) ON (r.n);
CREATE INDEX report_review IF NOT EXISTS FOR (r:Report) ON (r.reviewDate);
// Lists read by key (shared/list-key.ts): each seeks along its number from the last row a caller has.
CREATE INDEX chart_n IF NOT EXISTS FOR (c:Chart) ON (c.n);
CREATE INDEX annotation_n IF NOT EXISTS FOR (a:Annotation) ON (a.n);
CREATE INDEX user_n IF NOT EXISTS FOR (u:User) ON (u.n);
CREATE INDEX merge_n IF NOT EXISTS FOR (m:Merge) ON (m.n);
CREATE INDEX annotation_target IF NOT EXISTS FOR (a:Annotation) ON (a.targetKind, a.targetId);
CREATE INDEX audit_actor IF NOT EXISTS FOR (a:Audit) ON (a.actor);
CREATE INDEX audit_action IF NOT EXISTS FOR (a:Audit) ON (a.action);
CREATE INDEX audit_at IF NOT EXISTS FOR (a:Audit) ON (a.at);
// (:AuditObject {o, seq}): one per object an audit record names, written with the record (no index holds the
// members of a list): who read or changed a record is read along this index, not over every audit record.
CREATE INDEX audit_object IF NOT EXISTS FOR (x:AuditObject) ON (x.o, x.seq);
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (e:Entity) ON EACH [e.label, e.key, e.search]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false}};
// Events: every call and ANPR read behind a CALLED or SIGHTED_AT link, as (:LinkEvent) nodes (not :Event, the
// entity type). A relationship cannot be an end of another, and a list property on the link could be neither
// indexed nor paged; nodes with (linkId, at) and (at) indexes page in time order by link, by entity (through
// its links) or over a window. `key` is the identity that makes writing a call again change nothing.
CREATE CONSTRAINT link_event_key IF NOT EXISTS FOR (v:LinkEvent) REQUIRE v.key IS UNIQUE;
CREATE INDEX link_event_link_at IF NOT EXISTS FOR (v:LinkEvent) ON (v.linkId, v.at);
CREATE INDEX link_event_at IF NOT EXISTS FOR (v:LinkEvent) ON (v.at);
CREATE INDEX link_event_report IF NOT EXISTS FOR (v:LinkEvent) ON (v.report);
// Operations and need-to-know (issue 17): (:Operation {id, n, ref, name, owner, sensitivity, state, ...}) and its
// members as (:OperationMember {opId, user, role, addedBy, addedAt}) nodes (not a MEMBER_OF relationship: that is
// a link type, counted by links-page-count). Membership of facts is a list property read in every query's WHERE:
// `ops` (op ids) on each :Entity and each link relationship, `op` on each :Report and :LinkEvent, and the
// properties each operation wrote of an entity as JSON in `opProps` ({"op1": {...}}).
CREATE CONSTRAINT operation_id IF NOT EXISTS FOR (o:Operation) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT operation_ref IF NOT EXISTS FOR (o:Operation) REQUIRE o.ref IS UNIQUE;
CREATE CONSTRAINT operation_member_key IF NOT EXISTS FOR (m:OperationMember) REQUIRE (m.opId, m.user) IS UNIQUE;
CREATE INDEX operation_member_user IF NOT EXISTS FOR (m:OperationMember) ON (m.user);
CREATE INDEX report_op IF NOT EXISTS FOR (r:Report) ON (r.op);
// Deconfliction (issue 17): (:DeconflictionNotice {id, n, entityId, newOpId, heldOpId, state, disclose, createdAt,
// updatedAt, audited, steps}) when two operations hold the same subject, and its steps as (:DeconflictionEvent
// {noticeId, i, actor, at, action, note}); numbers from (:Seq {name: 'deconfliction'}).
CREATE CONSTRAINT deconfliction_notice_id IF NOT EXISTS FOR (d:DeconflictionNotice) REQUIRE d.id IS UNIQUE;
CREATE INDEX deconfliction_notice_entity IF NOT EXISTS FOR (d:DeconflictionNotice) ON (d.entityId);
CREATE INDEX deconfliction_notice_n IF NOT EXISTS FOR (d:DeconflictionNotice) ON (d.n);
CREATE INDEX deconfliction_notice_audited IF NOT EXISTS FOR (d:DeconflictionNotice) ON (d.audited);
CREATE INDEX deconfliction_event_notice IF NOT EXISTS FOR (v:DeconflictionEvent) ON (v.noticeId, v.i);
// Import runs record the operation they wrote into as `op` (a run from before operations has none: GENERAL's).
CREATE INDEX import_run_op IF NOT EXISTS FOR (r:ImportRun) ON (r.op);

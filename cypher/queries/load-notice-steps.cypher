// After npm run transfer: how many steps each notice's log holds, so the next step is numbered after them
// (deconfliction-decide.cypher).
MATCH (d:DeconflictionNotice)
SET d.steps = COUNT { (v:DeconflictionEvent {noticeId: d.id}) }

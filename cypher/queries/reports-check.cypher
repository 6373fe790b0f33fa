// Index hints keep the plan an index seek even when it was first planned on an empty database.
// The stored reports a write batch names ($refs: [{ref, c, full, review}]), each compared here with the content the batch
// gives for it (c; null for a report only cited), so only what the batch needs comes back: its id and grading,
// whether it is the same report (same: null when nothing was given), and the whole report when asked (full).
// The same report: the same date, author, text, source, intel, handling and conditions, and the review date
// the batch gives if it gives one (hasReview), as sameReport in graph-write-reports.ts. A report the server saw
// stored with the content given (SeenReports) comes with no c, and only its review date back when asked (review).
UNWIND $refs AS x
MATCH (r:Report {ref: x.ref})
USING INDEX r:Report(ref)
RETURN r.id AS id, r.ref AS ref, r.grade AS grade,
  CASE WHEN x.c IS NULL THEN null ELSE
    r.date = x.c.date AND r.author = x.c.author AND r.text = x.c.text AND r.source = x.c.source AND
    r.intel = x.c.intel AND r.handling = x.c.handling AND
    coalesce(r.conditions = x.c.conditions, r.conditions IS NULL AND x.c.conditions IS NULL) AND
    (NOT x.c.hasReview OR coalesce(r.reviewDate = x.c.reviewDate, r.reviewDate IS NULL AND x.c.reviewDate IS NULL))
  END AS same,
  CASE WHEN x.full THEN r {.*} ELSE null END AS full,
  CASE WHEN x.review THEN r.reviewDate ELSE null END AS reviewDate

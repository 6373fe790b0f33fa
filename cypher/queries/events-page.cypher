// A page of events in (at, n) order: of the listed links (or all), in the window, of the kinds, after the cursor.
// $limit is one more than wanted, to tell whether there is a next page.
MATCH (v:LinkEvent)
WHERE ($links IS NULL OR v.linkId IN $links)
  AND v.at >= $fromMs AND v.at <= $toMs
  AND ($kinds IS NULL OR v.kind IN $kinds)
  AND ($ops IS NULL OR v.op IN $ops)
  AND ($afterAt IS NULL OR v.at > $afterAt OR (v.at = $afterAt AND v.n > $afterN))
RETURN v {.*} AS v
ORDER BY v.at, v.n
LIMIT $limit

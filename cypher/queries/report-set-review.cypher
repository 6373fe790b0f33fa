MATCH (r:Report {id: $id})
SET r.reviewDate = $reviewDate

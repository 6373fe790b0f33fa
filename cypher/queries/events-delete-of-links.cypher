// Removes the events of links that are gone.
MATCH (v:LinkEvent)
WHERE v.linkId IN $ids
DETACH DELETE v

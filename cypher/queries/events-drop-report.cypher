// Removes a report's events; returns the links they were on.
MATCH (v:LinkEvent {report: $id})
WITH v, v.linkId AS link
DETACH DELETE v
RETURN DISTINCT link

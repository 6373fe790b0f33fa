RETURN COUNT { (:Report) } AS reports, COUNT { (:Annotation) } AS annotations, COUNT { (:Chart) } AS charts,
  COUNT { (:Audit) } AS audit

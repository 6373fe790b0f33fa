CALL gds.version() YIELD gdsVersion
RETURN gdsVersion AS version

"""After-session reports built from the journal alone (see docs/report-schema.md)."""

"""Statutory returns built from the record (the CLD export); no models of its own."""

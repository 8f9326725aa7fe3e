"""Writes on reports: ``ingest`` (bytes → Report), ``parse`` (Report → sections and values), and
the curator's writes beside them. Import from the module that defines a service."""

"""Writes on indicators. Modules: ``sync`` (values from a parse), and the catalogue and curation
services beside it; import from the module that defines a service."""

"""Shared spider bases: most spiders are a few class attributes on one of these."""

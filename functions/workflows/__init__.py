"""Workflows: tenant-defined automation (definitions, versions and runs)."""

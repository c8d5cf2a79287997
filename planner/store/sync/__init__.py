"""Laptop copies of a team database: clone, sync over SSH, merge field by field."""

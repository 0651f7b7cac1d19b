"""Reads of rectification: `plans` (the pages' lists and look-ups), `worklist` (the
dashboard's items and queue)."""

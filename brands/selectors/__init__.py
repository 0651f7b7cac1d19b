"""Reads of the brands app, one module per concept."""

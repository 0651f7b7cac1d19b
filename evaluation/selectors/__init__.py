"""Reads of the evaluation app, one module per concept: tables, periods (and the assessments
in them), results (rankings, trend, radar)."""

"""Writes of the branches app that are more than the Excel import (`branches.importing`)."""

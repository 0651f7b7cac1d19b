"""Writes of the evaluation app, one module per concept: `tables` (versions, import),
`periods` (create, publish, aggregate), `assessments` (self-assessment, review, workflow),
`ranking` (ranks by window functions)."""

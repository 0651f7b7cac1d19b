"""Writes of the evaluation app, one module per concept: `tables` (versions, import),
`periods` (create, publish, aggregate), `assessments` (self-assessment, review, workflow),
`fill` (the self-assessment form saved as one: scores and evidence files),
`ranking` (ranks by window functions)."""

"""What evaluation tells other apps that follow up on its results (the tiers' consequences:
rectification for tier 3, the brand invitation for tier 1), without knowing them."""

from django.dispatch import Signal

# Sent inside the publishing transaction, once results became published: by a committee's
# publication (`services.periods.publish`, keyword `scope_path` its subtree) and by an
# aggregation (`compute_aggregate`, the period's scope). Keyword `period`: the AssessmentPeriod.
# Receivers read what they need with `selectors.published.tiered_results`; they must be
# idempotent (an aggregate may be recomputed, publishing the same units again).
results_published = Signal()

"""Cached progress figures of a period, and their invalidation.

The period page and the period list show how many assessments of the reader's subtree are in
each status. On a province-wide period of 100,000 branches that is a count over 100,000 rows
on every view, yet it changes only when an assessment changes status: a submission, a review,
a return, a publication or an aggregation, all of which go through `services`.

Figures are keyed by the period's progress version, by the org tree's version (a moved unit
changes every scope, `branches.cache`) and by the reader's scope; they expire after TTL in any
case. The services replace a period's version once their write has committed
(`transaction.on_commit`), so a rolled-back write invalidates nothing."""

from django.core.cache import cache
from django.db import transaction

from branches.cache import current_versions, new_version, scope_digest, tree_version

TTL = 600


def _version_key(period_id: int) -> str:
    return f"evaluation:progress-version:{period_id}"


def progress_changed(period_id: int) -> None:
    """The period's progress figures are stale once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(_version_key(period_id), new_version(), None))


def _per_period(period_ids, name: str, suffix: str, compute) -> dict[int, dict]:
    """Per period, the figures cached as `name` under the period's progress version (and
    `suffix`); the periods missing are computed by one call `compute(missing period ids)`
    that returns {period id: figures}."""
    versions = current_versions(_version_key(pk) for pk in period_ids)
    keys = {pk: f"evaluation:{name}:{pk}:{versions[_version_key(pk)]}{suffix}" for pk in period_ids}
    found = cache.get_many(keys.values())
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in result]
    if missing:
        computed = compute(missing)
        fresh = {pk: computed.get(pk, {}) for pk in missing}
        cache.set_many({keys[pk]: figures for pk, figures in fresh.items()}, TTL)
        result.update(fresh)
    return result


def cached_progress(period_ids, paths: list[str], compute) -> dict[int, dict]:
    """Per period, the figures for the scope `paths`: from the cache where present, the rest
    by one call `compute(missing period ids)` that returns {period id: figures}."""
    suffix = f":{tree_version()}:{scope_digest(paths)}"
    return _per_period(period_ids, "progress", suffix, compute)


def cached_category_sizes(period_ids, compute) -> dict[int, dict[str, int]]:
    """Per period, {category: published results} — the "of N" of a branch's rank ("61/106",
    `selectors.ranks`). Keyed by the period's progress version like the figures above: a
    result published or withdrawn bumps it (the services' status changes do), so a size is
    never stale; on a province of 1,000,000 branches the count is ~0.5 s per period, once per
    version instead of on every page that shows a rank. `compute(missing period ids)` returns
    {period id: {category: n}}."""
    return _per_period(period_ids, "category-sizes", "", compute)

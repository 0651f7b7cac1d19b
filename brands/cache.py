"""Cached figures of brand applications per scope, and their invalidation.

Some figures are a scan of every branch or application in a scope — on a province of 100,000
branches, tens to hundreds of milliseconds each — yet change only on a few writes:

- `COVERAGE`: how many branches have filed a brand and how many have built one (the coverage
  dashboard and its drill-down); changes when an application enters or leaves the filed or the
  built statuses (a first submission, a rejection, a passed acceptance);
- `SHOWCASE`: how many approved brands each committee has (the wall's and the clusters'
  counts); changes when an application enters or leaves the showcase statuses (the last
  approval);
- `APPLICATIONS`: how many applications a scope holds (the unfiltered list's page count);
  changes when an application is created;
- `QUEUE`: how many applications wait at a reviewer's levels (the queue's size, on the queue
  and the brands index); changes when an application enters, leaves or moves within the review
  (every transition from or to 在审核, an approval moving it up a level included).

Each figure is keyed by its own version and by the org tree's (`branches.cache`: a moved or
deactivated unit changes every scope), and expires after TTL in any case. The services replace
a version once their write has committed (`transaction.on_commit`), so a rolled-back write
invalidates nothing and no reader caches the state before a commit as the state after it.
"""

from django.core.cache import cache
from django.db import transaction

from branches.cache import current_version, new_version, scope_digest, tree_version

from .models import FILED_STATUSES, SHOWCASE_STATUSES, Status

TTL = 600
COVERAGE = "coverage"
SHOWCASE = "showcase"
APPLICATIONS = "applications"
QUEUE = "queue"
FIGURES = (COVERAGE, SHOWCASE, APPLICATIONS, QUEUE)


def _version_key(figure: str) -> str:
    return f"brands:version:{figure}"


def version(figure: str) -> int:
    return current_version(_version_key(figure))


def _bump(*figures: str) -> None:
    cache.set_many({_version_key(f): new_version() for f in figures}, None)


def changed(*figures: str) -> None:
    """These figures are stale once the current transaction commits (now, outside one)."""
    if figures:
        transaction.on_commit(lambda: _bump(*figures))


def figures_touched(from_state: str | None, to_state: str) -> tuple[str, ...]:
    """Which cached figures a status change makes stale; `from_state` None for a new
    application."""
    touched = []
    if from_state is None:
        touched.append(APPLICATIONS)
    if (from_state in FILED_STATUSES) != (to_state in FILED_STATUSES) or (
        from_state == Status.BUILT
    ) != (to_state == Status.BUILT):
        touched.append(COVERAGE)
    if (from_state in SHOWCASE_STATUSES) != (to_state in SHOWCASE_STATUSES):
        touched.append(SHOWCASE)
    if Status.IN_REVIEW in (from_state, to_state):
        touched.append(QUEUE)
    return tuple(touched)


def status_changed(from_state: str | None, to_state: str) -> None:
    changed(*figures_touched(from_state, to_state))


def everything_changed() -> None:
    """After a write that bypassed the services (the admin, a bulk load)."""
    changed(*FIGURES)


def cached(figure: str, name: str, paths: list[str], compute):
    """`compute()`, cached per scope (its path prefixes) until `figure` or the tree changes."""
    key = f"brands:{name}:{version(figure)}:{tree_version()}:{scope_digest(paths)}"
    return cache.get_or_set(key, compute, TTL)

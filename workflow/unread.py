"""The bell's unread count (base.html, on every page), cached per user.

Notifications are written in one place, `workflow.services`: `notify_all` creates them and
`mark_read` reads them. Both replace each user's version once the write has committed
(`transaction.on_commit`; a rolled-back write changes nothing), and a count is cached under
the version read *before* it was counted, so a write never leaves a stale count readable:

* committed before the count's SELECT: the count includes it;
* committed after it: its bump follows the commit, the count stored under the old version
  is never read again (the next page reads the new version and counts afresh).

Between a commit and its bump (the same thread, immediately after) a page may still read the
old count. Versions are random (as `branches.cache.new_version`'s), never reused. Only with a cache
every process shares (`settings.UNREAD_COUNT_CACHED`, on with Redis as `CACHE_URL`): with a
per-process memory cache a notification written by another process (a Celery worker's
reminder, another web worker's mark-read) would not bump this process's version. A count
also expires after TTL, which bounds a bump lost while Redis was unreachable."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

TTL = 300


def _version_key(user_id: int) -> str:
    return f"workflow:unread-version:{user_id}"


def cached_count(user_id: int, count) -> int:
    """The user's unread count: `count()` (the query) unless cached under their version."""
    if not settings.UNREAD_COUNT_CACHED:
        return count()
    key = _version_key(user_id)
    version = cache.get(key)
    if version is None:
        # `add`, not `set`: a version bumped meanwhile by another process is kept
        cache.add(key, _new_version(), None)
        version = cache.get(key)
        if version is None:  # the cache is unreachable (config/cache.py): count
            return count()
    cached_key = f"workflow:unread:{user_id}:{version}"
    n = cache.get(cached_key)
    if n is None:
        n = count()
        cache.set(cached_key, n, TTL)
    return n


def _new_version() -> int:
    return secrets.randbits(62)


def unread_changed(user_ids) -> None:
    """These users' unread counts are stale once the current transaction commits."""
    keys = [_version_key(pk) for pk in set(user_ids)]
    if keys and settings.UNREAD_COUNT_CACHED:
        transaction.on_commit(lambda: cache.set_many({k: _new_version() for k in keys}, None))
